import KubeModel

/// PersistentVolumes (upstream `SetDefaults_PersistentVolume`, the PV strategy and
/// `ValidatePersistentVolume`): new volumes start Pending; reclaim policy Retain and volume
/// mode Filesystem by default; access modes and a storage capacity are required, and a local
/// volume needs node affinity.
struct PersistentVolumeStrategy: KindStrategy {
    static let accessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]

    func applyDefaults(_ volume: inout CoreV1.PersistentVolume) {
        if (volume.status.phase ?? "").isEmpty { volume.status.phase = "Pending" }
        if (volume.spec.persistentVolumeReclaimPolicy ?? "").isEmpty { volume.spec.persistentVolumeReclaimPolicy = "Retain" }
        if (volume.spec.volumeMode ?? "").isEmpty { volume.spec.volumeMode = "Filesystem" }
    }

    func prepareForCreate(_ volume: inout CoreV1.PersistentVolume) {
        volume.status = CoreV1.PersistentVolumeStatus(lastPhaseTransitionTime: .now(), phase: "Pending")
    }

    func validate(_ volume: CoreV1.PersistentVolume) -> [APIError.FieldCause] {
        var causes = ObjectMetaValidation.validate(volume.metadata)
        let spec = ValidationPath("spec")
        causes += Self.validateAccessModes(volume.spec.accessModes, spec.child("accessModes"))
        if let capacity = volume.spec.capacity, !capacity.isEmpty {
            for key in capacity.keys.sorted() where key != "storage" {
                causes.append(.notSupported(spec.child("capacity").description, value: key, supported: ["storage"]))
            }
            if let storage = capacity["storage"], storage.sign <= 0 {
                causes.append(.invalid(spec.child("capacity").key("storage").description, value: "\(storage)",
                                       "must be greater than zero"))
            }
        } else {
            causes.append(.required(spec.child("capacity")))
        }
        if let policy = volume.spec.persistentVolumeReclaimPolicy, !["Delete", "Recycle", "Retain"].contains(policy) {
            causes.append(.notSupported(spec.child("persistentVolumeReclaimPolicy").description, value: policy,
                                        supported: ["Delete", "Recycle", "Retain"]))
        }
        if volume.spec.local != nil && volume.spec.nodeAffinity == nil {
            causes.append(.required(spec.child("nodeAffinity"), "Local volume requires node affinity"))
        }
        if let affinity = volume.spec.nodeAffinity {
            if let required = affinity.required {
                if required.nodeSelectorTerms.isEmpty {
                    causes.append(.required(spec.child("nodeAffinity").child("required").child("nodeSelectorTerms"),
                                            "must have at least one node selector term"))
                }
            } else {
                causes.append(.required(spec.child("nodeAffinity").child("required"), "must specify required node constraints"))
            }
        }
        return causes
    }

    /// Access modes: at least one, each known, ReadWriteOncePod alone.
    static func validateAccessModes(_ modes: [String]?, _ path: ValidationPath) -> [APIError.FieldCause] {
        let modes = modes ?? []
        if modes.isEmpty { return [.required(path)] }
        var causes: [APIError.FieldCause] = []
        for mode in modes where !accessModes.contains(mode) {
            causes.append(.notSupported(path.description, value: mode, supported: accessModes))
        }
        if modes.contains("ReadWriteOncePod") && modes.count > 1 {
            causes.append(.forbidden(path, "may not use ReadWriteOncePod with other access modes"))
        }
        return causes
    }
}

/// PersistentVolumeClaims: new claims start Pending with volume mode Filesystem; access modes
/// and a storage request are required; after creation the spec only changes where upstream
/// allows (the volume name once, a class once, the request of a bound claim).
struct PersistentVolumeClaimStrategy: KindStrategy {
    func applyDefaults(_ claim: inout CoreV1.PersistentVolumeClaim) {
        if (claim.status.phase ?? "").isEmpty { claim.status.phase = "Pending" }
        if (claim.spec.volumeMode ?? "").isEmpty { claim.spec.volumeMode = "Filesystem" }
    }

    func prepareForCreate(_ claim: inout CoreV1.PersistentVolumeClaim) {
        claim.status = CoreV1.PersistentVolumeClaimStatus(phase: "Pending")
    }

    func validate(_ claim: CoreV1.PersistentVolumeClaim) -> [APIError.FieldCause] {
        var causes = ObjectMetaValidation.validate(claim.metadata)
        let spec = ValidationPath("spec")
        if (claim.spec.accessModes ?? []).isEmpty {
            causes.append(.required(spec.child("accessModes"), "at least 1 access mode is required"))
        } else {
            causes += PersistentVolumeStrategy.validateAccessModes(claim.spec.accessModes, spec.child("accessModes"))
        }
        let storage = ValidationPath("spec.resources[storage]")
        if let request = claim.spec.resources?.requests?["storage"] {
            if request.sign <= 0 { causes.append(.invalid(storage.description, value: "\(request)", "must be greater than zero")) }
        } else {
            causes.append(.required(storage))
        }
        return causes
    }

    func validateUpdate(_ claim: CoreV1.PersistentVolumeClaim, old: CoreV1.PersistentVolumeClaim) -> [APIError.FieldCause] {
        var causes = validate(claim)
        var comparable = claim.spec
        if (old.spec.volumeName ?? "").isEmpty { comparable.volumeName = old.spec.volumeName }
        if old.spec.storageClassName == nil { comparable.storageClassName = nil }
        if old.status.phase == "Bound" { comparable.resources?.requests?["storage"] = old.spec.resources?.requests?["storage"] }
        comparable.volumeAttributesClassName = old.spec.volumeAttributesClassName
        if comparable != old.spec {
            causes.append(.forbidden(ValidationPath("spec"),
                                     "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
        }
        return causes
    }
}

/// StorageClasses: reclaim policy Delete and binding mode Immediate by default; a provisioner is required.
struct StorageClassStrategy: KindStrategy {
    func applyDefaults(_ storageClass: inout StorageV1.StorageClass) {
        if (storageClass.reclaimPolicy ?? "").isEmpty { storageClass.reclaimPolicy = "Delete" }
        if (storageClass.volumeBindingMode ?? "").isEmpty { storageClass.volumeBindingMode = "Immediate" }
    }

    func validate(_ storageClass: StorageV1.StorageClass) -> [APIError.FieldCause] {
        var causes = ObjectMetaValidation.validate(storageClass.metadata)
        if storageClass.provisioner.isEmpty { causes.append(.required(ValidationPath("provisioner"))) }
        if let mode = storageClass.volumeBindingMode, !["Immediate", "WaitForFirstConsumer"].contains(mode) {
            causes.append(.notSupported("volumeBindingMode", value: mode, supported: ["Immediate", "WaitForFirstConsumer"]))
        }
        return causes
    }
}
