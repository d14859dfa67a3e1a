import KubeModel

/// What the volume plugins read about storage: claims, volumes and storage classes (upstream's
/// PersistentVolumeClaim, PersistentVolume and StorageClass listers). The scheduler backs it
/// with its informers; ``InMemoryVolumeCatalog`` holds fixed objects (tests, benchmarks).
public protocol VolumeCatalog: Sendable {
    func claim(namespace: String, name: String) -> CoreV1.PersistentVolumeClaim?
    func volume(named name: String) -> CoreV1.PersistentVolume?
    /// Every PersistentVolume.
    func volumes() -> [CoreV1.PersistentVolume]
    func storageClass(named name: String) -> StorageV1.StorageClass?
}

/// A catalog of fixed objects.
public struct InMemoryVolumeCatalog: VolumeCatalog {
    public var claims: [String: CoreV1.PersistentVolumeClaim] = [:]
    public var volumesByName: [String: CoreV1.PersistentVolume] = [:]
    public var classes: [String: StorageV1.StorageClass] = [:]

    public init(claims: [CoreV1.PersistentVolumeClaim] = [], volumes: [CoreV1.PersistentVolume] = [],
                classes: [StorageV1.StorageClass] = []) {
        for claim in claims { self.claims["\(claim.metadata.namespace ?? "")/\(claim.metadata.name ?? "")"] = claim }
        for volume in volumes { volumesByName[volume.metadata.name ?? ""] = volume }
        for storageClass in classes { self.classes[storageClass.metadata.name ?? ""] = storageClass }
    }

    public func claim(namespace: String, name: String) -> CoreV1.PersistentVolumeClaim? { claims["\(namespace)/\(name)"] }
    public func volume(named name: String) -> CoreV1.PersistentVolume? { volumesByName[name] }
    public func volumes() -> [CoreV1.PersistentVolume] { volumesByName.keys.sorted().compactMap { volumesByName[$0] } }
    public func storageClass(named name: String) -> StorageV1.StorageClass? { classes[name] }
}
