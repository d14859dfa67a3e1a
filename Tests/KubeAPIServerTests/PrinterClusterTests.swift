import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Node, namespace, event and storage rows from upstream's `TestPrintNodeStatus`,
/// `TestPrintNodeRole`, `TestPrintNode{OSImage,KernelVersion,ContainerRuntimeVersion,Name,ExternalIP,InternalIP}`,
/// `TestPrintEvent`, `TestPrintNamespace`, `TestPrintPersistentVolume(Claim)`, `TestPrintStorageClass`.
struct PrinterClusterTests {
    typealias F = PrinterFixture

    // MARK: Nodes

    static func node(_ name: String, unschedulable: Bool? = nil, conditions: [(String, String)]? = nil,
                     labels: [String: String]? = nil) -> CoreV1.Node {
        CoreV1.Node(metadata: F.meta(name, labels: labels),
                    spec: CoreV1.NodeSpec(unschedulable: unschedulable),
                    status: CoreV1.NodeStatus(conditions: conditions?.map { CoreV1.NodeCondition(status: $0.1, type: $0.0) }))
    }

    static let nodeStatuses: [(CoreV1.Node, String)] = [
        (node("foo1", conditions: [("Ready", "True")]), "Ready"),
        (node("foo2", unschedulable: true, conditions: [("Ready", "True")]), "Ready,SchedulingDisabled"),
        (node("foo3", conditions: [("Ready", "True"), ("Ready", "True")]), "Ready"),
        (node("foo4", conditions: [("Ready", "False")]), "NotReady"),
        (node("foo5", unschedulable: true, conditions: [("Ready", "False")]), "NotReady,SchedulingDisabled"),
        (node("foo6", conditions: [("InvalidValue", "True")]), "Unknown"),
        (node("foo7", conditions: [("", "")]), "Unknown"),
        (node("foo8", unschedulable: true, conditions: [("InvalidValue", "True")]), "Unknown,SchedulingDisabled"),
        (node("foo9", unschedulable: true, conditions: [("", "")]), "Unknown,SchedulingDisabled"),
        (node("unknown-ready", conditions: [("Ready", "Unknown")]), "NotReady"),
    ]

    @Test(arguments: nodeStatuses)
    func nodeStatus(_ sample: (CoreV1.Node, String)) {
        #expect(F.row(NodeTableConvertor(), sample.0) == [sample.0.metadata.name!, sample.1, "<none>", "<unknown>", ""])
    }

    static let nodeRoleCases: [([String: String]?, String)] = [
        (nil, "<none>"),
        (["node-role.kubernetes.io/master": "", "node-role.kubernetes.io/control-plane": "",
          "node-role.kubernetes.io/proxy": "", "kubernetes.io/role": "node"], "control-plane,master,node,proxy"),
        (["kubernetes.io/role": "node"], "node"),
        (["node-role.kubernetes.io/": "", "kubernetes.io/role": ""], "<none>"),
    ]

    @Test(arguments: nodeRoleCases)
    func nodeRoles(_ sample: ([String: String]?, String)) {
        #expect(F.row(NodeTableConvertor(), Self.node("n", labels: sample.0)) == ["n", "Unknown", sample.1, "<unknown>", ""])
    }

    static func addressed(_ addresses: [(String, String)], info: CoreV1.NodeSystemInfo? = nil) -> CoreV1.Node {
        CoreV1.Node(metadata: F.meta("foo"),
                    status: CoreV1.NodeStatus(addresses: addresses.map { CoreV1.NodeAddress(address: $0.1, type: $0.0) }, nodeInfo: info))
    }

    static let wideNodes: [(CoreV1.Node, [String])] = [
        (addressed([("ExternalIP", "1.1.1.1")], info: CoreV1.NodeSystemInfo(osImage: "fake-os-image")),
         ["<none>", "1.1.1.1", "fake-os-image", "<unknown>", "<unknown>"]),
        (addressed([("ExternalIP", "1.1.1.1")], info: CoreV1.NodeSystemInfo(kernelVersion: "fake-kernel-version")),
         ["<none>", "1.1.1.1", "<unknown>", "fake-kernel-version", "<unknown>"]),
        (addressed([("ExternalIP", "1.1.1.1")], info: CoreV1.NodeSystemInfo(containerRuntimeVersion: "foo://1.2.3")),
         ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "foo://1.2.3"]),
        (addressed([("ExternalIP", "1.1.1.1")], info: CoreV1.NodeSystemInfo()), ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "<unknown>"]),
        (addressed([("InternalIP", "1.1.1.1")]), ["1.1.1.1", "<none>", "<unknown>", "<unknown>", "<unknown>"]),
        (addressed([("ExternalIP", "2.2.2.2"), ("InternalIP", "3.3.3.3"), ("ExternalIP", "4.4.4.4")]),
         ["3.3.3.3", "2.2.2.2", "<unknown>", "<unknown>", "<unknown>"]),
        (addressed([("InternalIP", "2.2.2.2"), ("ExternalIP", "3.3.3.3"), ("InternalIP", "4.4.4.4")]),
         ["2.2.2.2", "3.3.3.3", "<unknown>", "<unknown>", "<unknown>"]),
    ]

    @Test(arguments: wideNodes)
    func nodeWide(_ sample: (CoreV1.Node, [String])) {
        #expect(F.row(NodeTableConvertor(), sample.0, wide: true) == ["foo", "Unknown", "<none>", "<unknown>", ""] + sample.1)
    }

    @Test func nodeVersionAndName() {
        var node = Self.node("127.0.0.1", conditions: [("Ready", "True")])
        node.status.nodeInfo = CoreV1.NodeSystemInfo(kubeletVersion: "v1.36.0")
        node.metadata.creationTimestamp = F.ago(3 * F.day)
        #expect(F.row(NodeTableConvertor(), node) == ["127.0.0.1", "Ready", "<none>", "3d", "v1.36.0"])
        #expect(F.row(NodeTableConvertor(), CoreV1.Node()) == ["", "Unknown", "<none>", "<unknown>", ""])
    }

    // MARK: Namespaces

    @Test func namespace() {
        let active = CoreV1.Namespace(metadata: F.meta("namespace1", created: F.justCreated),
                                      status: CoreV1.NamespaceStatus(phase: "FooStatus"))
        #expect(F.row(NamespaceTableConvertor(), active) == ["namespace1", "FooStatus", "0s"])
        #expect(F.row(NamespaceTableConvertor(), CoreV1.Namespace(metadata: F.meta("namespace2"))) == ["namespace2", "", "<unknown>"])
    }

    // MARK: Events

    static func event(_ name: String, kind: String = "Deployment", objectName: String = "Deployment Name",
                      source: CoreV1.EventSource? = CoreV1.EventSource(component: "kubelet", host: "Node1"),
                      first: MetaV1.Time? = nil, last: MetaV1.Time? = nil, eventTime: MetaV1.MicroTime? = nil,
                      count: Int32? = nil, series: CoreV1.EventSeries? = nil, type: String = "Warning") -> CoreV1.Event {
        CoreV1.Event(count: count, eventTime: eventTime, firstTimestamp: first,
                     involvedObject: CoreV1.ObjectReference(fieldPath: "spec.containers{foo}", kind: kind, name: objectName),
                     lastTimestamp: last, message: "Message Data", metadata: F.meta(name), reason: "Event Reason",
                     series: series, source: source, type: type)
    }

    static let events: [(CoreV1.Event, [String])] = [
        (event("event2", first: PrinterFixture.ago(3 * PrinterFixture.day), last: PrinterFixture.ago(2 * PrinterFixture.day), count: 6),
         ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", "6", "event2"]),
        (event("event3", last: PrinterFixture.ago(3 * PrinterFixture.day), eventTime: PrinterFixture.microAgo(3 * PrinterFixture.day), count: 1),
         ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", "1", "event3"]),
        (event("event4", first: PrinterFixture.ago(3 * PrinterFixture.day), eventTime: PrinterFixture.microAgo(3 * PrinterFixture.day), count: 1),
         ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", "1", "event4"]),
        (event("event5", eventTime: PrinterFixture.microAgo(3 * PrinterFixture.day), count: 1),
         ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", "1", "event5"]),
        (event("event6", eventTime: PrinterFixture.microAgo(3 * PrinterFixture.day),
               series: CoreV1.EventSeries(count: 2, lastObservedTime: PrinterFixture.microAgo(2 * PrinterFixture.day))),
         ["2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", "2", "event6"]),
        (event("event7", eventTime: PrinterFixture.microAgo(3 * PrinterFixture.day)),
         ["3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", "1", "event7"]),
        (event("no-times", kind: "Node", objectName: "", source: nil),
         ["<unknown>", "Warning", "Event Reason", "node", "spec.containers{foo}", "", "Message Data", "<unknown>", "1", "no-times"]),
    ]

    @Test(arguments: events)
    func eventWide(_ sample: (CoreV1.Event, [String])) {
        #expect(F.row(EventTableConvertor(), sample.0, wide: true) == sample.1)
    }

    @Test func eventColumnsAndSources() {
        let basic = Self.event("event1", kind: "Pod", objectName: "Pod Name", source: CoreV1.EventSource(component: "kubelet"),
                               first: F.ago(3 * F.day), last: F.ago(2 * F.day), count: 6, type: "Normal")
        #expect(F.row(EventTableConvertor(), basic) == ["2d", "Normal", "Event Reason", "pod/Pod Name", "Message Data"])
        #expect(EventTableConvertor().columns.map(\.name)
            == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
        var reported = Self.event("event2", source: nil, first: F.ago(3 * F.day), last: F.ago(2 * F.day), count: 6)
        reported.reportingComponent = "kubelet"
        reported.reportingInstance = "test"
        #expect(F.row(EventTableConvertor(), reported, wide: true)[5] == "kubelet, test")
        #expect(F.values(EventTableConvertor(), reported, wide: true)[8] == .int(6))
    }

    @Test func eventsAPIEventReadsLikeCoreEvent() {
        let event = EventsV1.Event(
            deprecatedSource: CoreV1.EventSource(component: "kubelet", host: "Node1"),
            eventTime: F.microAgo(3 * F.day), metadata: F.meta("ev"), note: "  Pulled image  ", reason: "Pulled",
            regarding: CoreV1.ObjectReference(kind: "Pod", name: "web"),
            series: EventsV1.EventSeries(count: 4, lastObservedTime: F.microAgo(60)), type: "Normal")
        #expect(F.row(EventTableConvertor(), event, wide: true)
            == ["60s", "Normal", "Pulled", "pod/web", "", "kubelet, Node1", "Pulled image", "3d", "4", "ev"])
    }

    // MARK: Storage

    static let claimRef = CoreV1.ObjectReference(name: "test", namespace: "default")

    static func volume(_ name: String, modes: [String], capacity: Quantity, phase: String, storageClass: String? = nil,
                       attributesClass: String? = nil) -> CoreV1.PersistentVolume {
        CoreV1.PersistentVolume(
            metadata: F.meta(name),
            spec: CoreV1.PersistentVolumeSpec(accessModes: modes, capacity: ["storage": capacity], claimRef: claimRef,
                                              storageClassName: storageClass, volumeAttributesClassName: attributesClass),
            status: CoreV1.PersistentVolumeStatus(phase: phase))
    }

    static let volumes: [(CoreV1.PersistentVolume, [String])] = [
        (volume("test1", modes: ["ReadOnlyMany"], capacity: "4Gi", phase: "Bound"),
         ["test1", "4Gi", "ROX", "", "Bound", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
        (volume("test2", modes: ["ReadOnlyMany"], capacity: "4Gi", phase: "Failed"),
         ["test2", "4Gi", "ROX", "", "Failed", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
        (volume("test3", modes: ["ReadWriteMany"], capacity: "10Gi", phase: "Pending"),
         ["test3", "10Gi", "RWX", "", "Pending", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
        (volume("test4", modes: ["ReadWriteOnce"], capacity: "10Gi", phase: "Pending", storageClass: "my-scn"),
         ["test4", "10Gi", "RWO", "", "Pending", "default/test", "my-scn", "<unset>", "", "<unknown>", "<unset>"]),
        (volume("test4", modes: ["ReadWriteOnce"], capacity: "10Gi", phase: "Pending", storageClass: "my-scn", attributesClass: "my-vacn"),
         ["test4", "10Gi", "RWO", "", "Pending", "default/test", "my-scn", "my-vacn", "", "<unknown>", "<unset>"]),
        (volume("test5", modes: ["ReadWriteOnce"], capacity: "10Gi", phase: "Available", storageClass: "my-scn"),
         ["test5", "10Gi", "RWO", "", "Available", "default/test", "my-scn", "<unset>", "", "<unknown>", "<unset>"]),
        (volume("test6", modes: ["ReadWriteOnce"], capacity: "10Gi", phase: "Released", storageClass: "my-scn"),
         ["test6", "10Gi", "RWO", "", "Released", "default/test", "my-scn", "<unset>", "", "<unknown>", "<unset>"]),
        (volume("all-modes", modes: ["ReadWriteOncePod", "ReadWriteMany", "ReadWriteOnce", "ReadOnlyMany", "ReadWriteOnce"],
                capacity: "1Ti", phase: "Bound"),
         ["all-modes", "1Ti", "RWO,ROX,RWX,RWOP", "", "Bound", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
    ]

    @Test(arguments: volumes)
    func persistentVolume(_ sample: (CoreV1.PersistentVolume, [String])) {
        #expect(F.row(PersistentVolumeTableConvertor(), sample.0, wide: true) == sample.1)
    }

    @Test func persistentVolumeDetails() {
        var volume = CoreV1.PersistentVolume(metadata: F.meta("pv", deleted: F.ago(1),
                                                              annotations: ["volume.beta.kubernetes.io/storage-class": "beta"]))
        volume.spec.persistentVolumeReclaimPolicy = "Retain"
        volume.spec.storageClassName = "ignored"
        volume.spec.volumeMode = "Block"
        volume.status = CoreV1.PersistentVolumeStatus(phase: "Released", reason: "Busy")
        #expect(F.row(PersistentVolumeTableConvertor(), volume, wide: true)
            == ["pv", "0", "", "Retain", "Terminating", "", "beta", "<unset>", "Busy", "<unknown>", "Block"])
    }

    static func claim(_ name: String, volumeName: String?, mode: String?, phase: String, modes: [String], capacity: Quantity,
                      storageClass: String? = nil, attributesClass: String? = nil) -> CoreV1.PersistentVolumeClaim {
        CoreV1.PersistentVolumeClaim(
            metadata: F.meta(name),
            spec: CoreV1.PersistentVolumeClaimSpec(storageClassName: storageClass, volumeAttributesClassName: attributesClass,
                                                   volumeMode: mode, volumeName: volumeName),
            status: CoreV1.PersistentVolumeClaimStatus(accessModes: modes, capacity: ["storage": capacity], phase: phase))
    }

    static let claims: [(CoreV1.PersistentVolumeClaim, [String])] = [
        (claim("test1", volumeName: "my-volume", mode: "Filesystem", phase: "Bound", modes: ["ReadOnlyMany"], capacity: "4Gi"),
         ["test1", "Bound", "my-volume", "4Gi", "ROX", "", "<unset>", "<unknown>", "Filesystem"]),
        (claim("test2", volumeName: nil, mode: "Filesystem", phase: "Lost", modes: ["ReadOnlyMany"], capacity: "4Gi"),
         ["test2", "Lost", "", "", "", "", "<unset>", "<unknown>", "Filesystem"]),
        (claim("test3", volumeName: "my-volume", mode: "Filesystem", phase: "Pending", modes: ["ReadWriteMany"], capacity: "10Gi"),
         ["test3", "Pending", "my-volume", "10Gi", "RWX", "", "<unset>", "<unknown>", "Filesystem"]),
        (claim("test4", volumeName: "my-volume", mode: "Filesystem", phase: "Pending", modes: ["ReadWriteOnce"], capacity: "10Gi",
               storageClass: "my-scn"),
         ["test4", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "<unset>", "<unknown>", "Filesystem"]),
        (claim("test5", volumeName: "my-volume", mode: nil, phase: "Pending", modes: ["ReadWriteOnce"], capacity: "10Gi",
               storageClass: "my-scn"),
         ["test5", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "<unset>", "<unknown>", "<unset>"]),
        (claim("test5", volumeName: "my-volume", mode: nil, phase: "Pending", modes: ["ReadWriteOnce"], capacity: "10Gi",
               storageClass: "my-scn", attributesClass: "my-vacn"),
         ["test5", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "my-vacn", "<unknown>", "<unset>"]),
    ]

    @Test(arguments: claims)
    func persistentVolumeClaim(_ sample: (CoreV1.PersistentVolumeClaim, [String])) {
        #expect(F.row(PersistentVolumeClaimTableConvertor(), sample.0, wide: true) == sample.1)
    }

    static let storageClasses: [(StorageV1.StorageClass, [String])] = [
        (StorageV1.StorageClass(metadata: PrinterFixture.meta("sc1", created: PrinterFixture.justCreated), provisioner: "kubernetes.io/glusterfs"),
         ["sc1", "kubernetes.io/glusterfs", "Delete", "Immediate", "false", "0s"]),
        (StorageV1.StorageClass(metadata: PrinterFixture.meta("sc3", created: PrinterFixture.ago(300)), provisioner: "kubernetes.io/nfs",
                                reclaimPolicy: "Delete"),
         ["sc3", "kubernetes.io/nfs", "Delete", "Immediate", "false", "5m"]),
        (StorageV1.StorageClass(metadata: PrinterFixture.meta("sc4", created: PrinterFixture.ago(300)), provisioner: "kubernetes.io/nfs",
                                reclaimPolicy: "Retain", volumeBindingMode: "Immediate"),
         ["sc4", "kubernetes.io/nfs", "Retain", "Immediate", "false", "5m"]),
        (StorageV1.StorageClass(metadata: PrinterFixture.meta("sc5", created: PrinterFixture.ago(300)), provisioner: "kubernetes.io/nfs",
                                reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer"),
         ["sc5", "kubernetes.io/nfs", "Retain", "WaitForFirstConsumer", "false", "5m"]),
        (StorageV1.StorageClass(allowVolumeExpansion: true, metadata: PrinterFixture.meta("sc6", created: PrinterFixture.ago(300)),
                                provisioner: "kubernetes.io/nfs", reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer"),
         ["sc6", "kubernetes.io/nfs", "Retain", "WaitForFirstConsumer", "true", "5m"]),
        (StorageV1.StorageClass(metadata: PrinterFixture.meta("local", annotations: ["storageclass.kubernetes.io/is-default-class": "true"]),
                                provisioner: "rancher.io/local-path"),
         ["local (default)", "rancher.io/local-path", "Delete", "Immediate", "false", "<unknown>"]),
    ]

    @Test(arguments: storageClasses)
    func storageClass(_ sample: (StorageV1.StorageClass, [String])) {
        #expect(F.row(StorageClassTableConvertor(), sample.0) == sample.1)
        #expect(F.values(StorageClassTableConvertor(), sample.0)[4] == .bool(sample.1[4] == "true"))
    }
}
