import KubeModel

extension SelectableFields {
    /// The selectable field values of a decoded object, read from its typed members instead of
    /// a JSON tree; nil for kinds only ``values(of:_:only:)`` reads. The same values as the JSON
    /// form of `object` gives (`SelectableFieldsTypedTests`).
    ///
    /// Every stored pod version a watch with a field selector tests needs them (the hollow
    /// nodes' and kubelets' `spec.nodeName=…`); the writer's decoded copy is at hand for those.
    static func values(ofTyped object: any KubeObject, _ resource: KubeResource) -> [String: String]? {
        let metadata = object.metadata
        if let pod = object as? CoreV1.Pod, resource.group.isEmpty, resource.resource == "pods" {
            let spec = pod.spec, status = pod.status
            var fields: [String: String] = [:]
            fields.reserveCapacity(10)
            fields["metadata.name"] = metadata.name ?? ""
            fields["metadata.namespace"] = metadata.namespace ?? ""
            fields["spec.nodeName"] = spec.nodeName ?? ""
            fields["spec.restartPolicy"] = spec.restartPolicy ?? ""
            fields["spec.schedulerName"] = spec.schedulerName ?? ""
            fields["spec.serviceAccountName"] = spec.serviceAccountName ?? ""
            fields["spec.hostNetwork"] = spec.hostNetwork.map { $0 ? "true" : "false" } ?? "false"
            fields["status.phase"] = status.phase ?? ""
            fields["status.podIP"] = status.podIP ?? status.podIPs?.first?.ip ?? ""
            fields["status.nominatedNodeName"] = status.nominatedNodeName ?? ""
            return fields
        }
        guard extraFields(group: resource.group, resource: resource.resource).isEmpty else { return nil }
        var fields = ["metadata.name": metadata.name ?? ""]
        if resource.namespaced { fields["metadata.namespace"] = metadata.namespace ?? "" }
        return fields
    }
}
