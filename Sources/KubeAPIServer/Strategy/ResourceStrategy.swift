import KubeModel

/// The per-kind behaviour of a resource on writes (upstream's `rest.RESTCreateStrategy` /
/// `RESTUpdateStrategy` plus the kind's defaulting functions): defaults applied to every object
/// written, the fields a create or update resets, and validation that turns bad input into a
/// 422 with field causes.
///
/// The registry calls, on create: `applyDefaults`, `prepareForCreate`, `validate`; on update and
/// patch: `applyDefaults`, `prepareForUpdate`, `validateUpdate`.
public protocol KindStrategy<Object>: Sendable {
    associatedtype Object: KubeObject

    /// Upstream's `SetDefaults_*`: fills unset fields with their defaults.
    func applyDefaults(_ object: inout Object)
    /// Resets what a client may not set on create (e.g. a pod's status).
    func prepareForCreate(_ object: inout Object)
    /// Field errors of a new object.
    func validate(_ object: Object) -> [APIError.FieldCause]
    /// Carries over what an update may not change.
    func prepareForUpdate(_ object: inout Object, old: Object)
    /// Field errors of an update, including changes to immutable fields.
    func validateUpdate(_ object: Object, old: Object) -> [APIError.FieldCause]
}

extension KindStrategy {
    public func applyDefaults(_ object: inout Object) {}
    public func prepareForCreate(_ object: inout Object) {}
    public func validate(_ object: Object) -> [APIError.FieldCause] { [] }
    public func prepareForUpdate(_ object: inout Object, old: Object) {}
    public func validateUpdate(_ object: Object, old: Object) -> [APIError.FieldCause] { validate(object) }
}

/// A ``KindStrategy`` behind an existential, applied to `any KubeObject`s of its kind (objects of
/// another type pass through untouched).
public struct AnyKindStrategy: Sendable {
    private let defaults: @Sendable (inout any KubeObject) -> Void
    private let create: @Sendable (inout any KubeObject) -> [APIError.FieldCause]
    private let update: @Sendable (inout any KubeObject, any KubeObject) -> [APIError.FieldCause]

    public init<S: KindStrategy>(_ strategy: S) {
        defaults = { object in
            guard var typed = object as? S.Object else { return }
            strategy.applyDefaults(&typed)
            object = typed
        }
        create = { object in
            guard var typed = object as? S.Object else { return [] }
            strategy.prepareForCreate(&typed)
            object = typed
            return strategy.validate(typed)
        }
        update = { object, old in
            guard var typed = object as? S.Object, let old = old as? S.Object else { return [] }
            strategy.prepareForUpdate(&typed, old: old)
            object = typed
            return strategy.validateUpdate(typed, old: old)
        }
    }

    /// Both strategies, one after the other: for a resource served in two versions, whose
    /// objects arrive as either type (each strategy passes the other's type through).
    public init(_ first: AnyKindStrategy, _ second: AnyKindStrategy) {
        defaults = { object in
            first.defaults(&object)
            second.defaults(&object)
        }
        create = { object in first.create(&object) + second.create(&object) }
        update = { object, old in first.update(&object, old) + second.update(&object, old) }
    }

    public func applyDefaults(_ object: inout any KubeObject) { defaults(&object) }

    /// `prepareForCreate` then `validate`.
    public func prepareAndValidateCreate(_ object: inout any KubeObject) -> [APIError.FieldCause] { create(&object) }

    /// `prepareForUpdate` then `validateUpdate`.
    public func prepareAndValidateUpdate(_ object: inout any KubeObject, old: any KubeObject) -> [APIError.FieldCause] {
        update(&object, old)
    }
}

/// The strategies of the built-in kinds, by group-resource (`pods`, `deployments.apps`).
public struct ResourceStrategies: Sendable {
    private var byResource: [String: AnyKindStrategy] = [:]

    public init() {}

    public mutating func register<S: KindStrategy>(_ strategy: S, for groupResource: String) {
        byResource[groupResource] = AnyKindStrategy(strategy)
    }

    public mutating func register(_ strategy: AnyKindStrategy, for groupResource: String) {
        byResource[groupResource] = strategy
    }

    public func strategy(for resource: KubeResource) -> AnyKindStrategy? {
        byResource[resource.groupResource]
    }
}
