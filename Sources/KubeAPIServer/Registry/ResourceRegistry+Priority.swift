import Foundation
import KubeModel
import KubeStore

/// The Priority admission plugin (upstream's `plugin/pkg/admission/priority`): a new pod's
/// `priorityClassName` is resolved to `spec.priority` (and its `preemptionPolicy`); a pod
/// without one gets the global default class if there is one, else priority 0.
extension ResourceRegistry {
    func admitPodPriority(_ object: inout any KubeObject, resource: KubeResource) async throws {
        guard resource.group.isEmpty, resource.resource == "pods", var pod = object as? CoreV1.Pod,
              let classes = catalog.resource(group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses")
        else { return }
        let className = pod.spec.priorityClassName ?? ""
        let priorityClass: SchedulingV1.PriorityClass?
        if className.isEmpty {
            let listed = try await admissionList(prefix: Self.resourcePrefix(classes))
            let all = listed.compactMap { try? $0.object(as: classes) as? SchedulingV1.PriorityClass }
            priorityClass = all.filter { $0.globalDefault == true }.min { ($0.value ?? 0) < ($1.value ?? 0) }
        } else if PodStrategy.systemPriorities[className] != nil {
            return
        } else {
            guard let stored = try await admissionGet(Self.key(classes, namespace: "", name: className)),
                  let found = try? stored.object(as: classes) as? SchedulingV1.PriorityClass
            else {
                throw APIError.forbidden(
                    resource: Self.groupResource(resource), name: pod.metadata.name ?? "",
                    message: "no PriorityClass with name \(className) was found")
            }
            priorityClass = found
        }
        guard let priorityClass else { return }
        let value = priorityClass.value ?? 0
        if let given = pod.spec.priority, given != value {
            throw APIError.forbidden(
                resource: Self.groupResource(resource), name: pod.metadata.name ?? "",
                message: "the integer value of priority (\(given)) must not be provided in pod spec; priority admission controller computed \(value) from the given PriorityClass name")
        }
        pod.spec.priorityClassName = priorityClass.metadata.name
        pod.spec.priority = value
        if pod.spec.preemptionPolicy == nil { pod.spec.preemptionPolicy = priorityClass.preemptionPolicy }
        object = pod
    }
}
