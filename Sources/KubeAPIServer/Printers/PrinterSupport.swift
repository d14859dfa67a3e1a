import Foundation
import KubeModel

/// A table convertor for one typed kind: casts the object and builds its row. An object of an
/// unexpected type still gets a row of the right width (name and age, the rest empty).
protocol TypedTableConvertor: TableConvertor {
    associatedtype Object: KubeObject
    func row(_ object: Object, now: Date) -> [JSONValue]
}

extension TypedTableConvertor {
    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        if let typed = object as? Object { return row(typed, now: now) }
        return Printers.placeholderRow(for: object, columns: columns, now: now)
    }
}

/// Formatting shared by the built-in convertors; each helper mirrors one of upstream's printer
/// helpers (`translateTimestampSince`, `labels.FormatLabels`, `layoutContainerCells`, …).
enum Printers {
    static let none = "<none>"
    static let unknown = "<unknown>"
    static let unset = "<unset>"

    // MARK: Columns

    static var name: TableColumnDefinition { DefaultTableConvertor.nameColumn }
    static var age: TableColumnDefinition { DefaultTableConvertor.ageColumn }

    static func column(_ name: String, _ description: String, type: String = "string",
                       priority: Int = 0, format: String = "") -> TableColumnDefinition {
        TableColumnDefinition(name: name, type: type, format: format, description: description, priority: priority)
    }

    /// The wide `Containers`, `Images` (and usually `Selector`) columns of workload kinds.
    static let containers = column("Containers", "Names of each container in the template.", priority: 1)
    static let images = column("Images", "Images referenced by each container in the template.", priority: 1)
    static func selector(_ description: String = "Label query over the pods this object manages.") -> TableColumnDefinition {
        column("Selector", description, priority: 1)
    }

    /// A row for an object the convertor does not know: name, age, everything else empty.
    static func placeholderRow(for object: any KubeObject, columns: [TableColumnDefinition], now: Date) -> [JSONValue] {
        columns.map { column in
            if column.format == "name" && column.name == "Name" { return .string(object.metadata.name ?? "") }
            if column.name == "Age" { return .string(DefaultTableConvertor.age(of: object, now: now)) }
            return .string("")
        }
    }

    // MARK: Times

    /// Upstream `translateTimestampSince`: `<unknown>` for an unset time.
    static func since(_ time: MetaV1.Time?, now: Date) -> String {
        HumanDuration.age(since: time?.date, now: now)
    }

    /// Upstream `translateMicroTimestampSince`.
    static func since(_ time: MetaV1.MicroTime?, now: Date) -> String {
        HumanDuration.age(since: time?.date, now: now)
    }

    static func age(_ object: any KubeObject, now: Date) -> JSONValue {
        .string(DefaultTableConvertor.age(of: object, now: now))
    }

    // MARK: Labels and selectors

    /// Upstream `labels.FormatLabels`: `k1=v1,k2=v2` sorted by key; `<none>` when empty.
    static func formatLabels(_ labels: [String: String]?) -> String {
        let text = Labels.Selector(matching: labels ?? [:]).description
        return text.isEmpty ? none : text
    }

    /// Upstream `metav1.FormatLabelSelector`: `<none>` for nil or empty, `<error>` if invalid.
    static func formatLabelSelector(_ selector: MetaV1.LabelSelector?) -> String {
        guard let parsed = try? Labels.Selector(selector) else { return "<error>" }
        let text = parsed.description
        return text.isEmpty ? none : text
    }

    /// The selector as upstream's deployment printer shows it: empty for nil, `<invalid>` if invalid.
    static func selectorString(_ selector: MetaV1.LabelSelector?) -> String {
        guard let parsed = try? Labels.Selector(selector) else { return "<invalid>" }
        return parsed.description
    }

    // MARK: Containers

    /// Upstream `layoutContainerCells`: names and images, comma-joined.
    static func containerCells(_ containers: [CoreV1.Container]?) -> (names: String, images: String) {
        let containers = containers ?? []
        return (containers.map(\.name).joined(separator: ","),
                containers.map { $0.image ?? "" }.joined(separator: ","))
    }

    /// The wide `Containers` and `Images` cells of a pod template.
    static func templateCells(_ template: CoreV1.PodTemplateSpec?) -> [JSONValue] {
        let (names, images) = containerCells(template?.spec?.containers)
        return [.string(names), .string(images)]
    }

    // MARK: Lists

    /// Upstream `listWithMoreString`: `a,b,c + 2 more...`, `<unset>` when empty.
    static func listWithMore(_ list: [String], more: Bool, count: Int, max: Int) -> String {
        let text = list.joined(separator: ",")
        if more { return "\(text) + \(count - max) more..." }
        return text.isEmpty ? unset : text
    }

    /// Upstream `printBool`.
    static func boolString(_ value: Bool) -> String { value ? "True" : "False" }

    /// Upstream `printBoolPtr`: `<unset>` for nil.
    static func boolString(_ value: Bool?) -> String { value.map { boolString($0) } ?? unset }

    /// Upstream `net.JoinHostPort`: IPv6 addresses get brackets.
    static func joinHostPort(_ host: String, _ port: Int32) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The unique IPs (else hostnames) of load balancer ingress points, sorted and comma-joined
    /// (upstream `loadBalancerStatusStringer`; the server prints wide, so never clipped).
    static func loadBalancerAddresses(_ points: [(ip: String?, hostname: String?)]) -> String {
        var addresses = Set<String>()
        for point in points {
            if let ip = point.ip, !ip.isEmpty {
                addresses.insert(ip)
            } else if let hostname = point.hostname, !hostname.isEmpty {
                addresses.insert(hostname)
            }
        }
        return addresses.sorted().joined(separator: ",")
    }

    /// Upstream `helper.GetAccessModesAsString`: `RWO,ROX,RWX,RWOP` in that order, each once.
    static func accessModes(_ modes: [String]?) -> String {
        let modes = Set(modes ?? [])
        return [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
            .filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// The storage class of a volume or claim: the beta annotation wins over the field.
    static func storageClass(annotations: [String: String]?, field: String?) -> String {
        if let annotated = annotations?["volume.beta.kubernetes.io/storage-class"] { return annotated }
        return field ?? ""
    }

    /// Upstream `Quantity.String()` on a possibly-nil pointer.
    static func quantity(_ quantity: Quantity?) -> String { quantity?.description ?? "<nil>" }

    static func int(_ value: Int32?) -> JSONValue { .int(Int64(value ?? 0)) }
    static func int(_ value: Int) -> JSONValue { .int(Int64(value)) }
}
