import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// The DefaultStorageClass and StorageObjectInUseProtection admission plugins (upstream
/// plugin/pkg/admission/storage/storageclass/setdefault and storage/storageobjectinuseprotection).
@Suite struct DefaultStorageClassAdmissionTests {
    static let claims = "/api/v1/namespaces/default/persistentvolumeclaims"
    static let classes = "/apis/storage.k8s.io/v1/storageclasses"

    static func storageClass(_ name: String, isDefault: Bool) -> String {
        let annotations = isDefault ? #","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}"# : ""
        return #"{"metadata":{"name":"\#(name)"\#(annotations)},"provisioner":"example.com/csi"}"#
    }

    static func claim(_ name: String, classField: String = "") -> String {
        #"{"metadata":{"name":"\#(name)"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}\#(classField)}}"#
    }

    @Test func claimsWithoutAClassGetTheDefault() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.claims, body: Self.claim("before"))
        _ = try await h.object("POST", Self.classes, body: Self.storageClass("plain", isDefault: false))
        _ = try await h.object("POST", Self.classes, body: Self.storageClass("standard", isDefault: true))
        let defaulted = try #require(try await h.object("POST", Self.claims, body: Self.claim("data")) as? CoreV1.PersistentVolumeClaim)
        #expect(defaulted.spec.storageClassName == "standard")
        #expect(defaulted.metadata.finalizers == ["kubernetes.io/pvc-protection"])
        let none = try #require(try await h.object("POST", Self.claims, body: Self.claim("none", classField: #","storageClassName":"""#))
                                    as? CoreV1.PersistentVolumeClaim)
        #expect(none.spec.storageClassName == "")
        let chosen = try #require(try await h.object("POST", Self.claims, body: Self.claim("chosen", classField: #","storageClassName":"plain""#))
                                      as? CoreV1.PersistentVolumeClaim)
        #expect(chosen.spec.storageClassName == "plain")
        // Created before any default existed: left for the PV controller's retroactive default.
        let before = try #require(try await h.object("GET", "\(Self.claims)/before") as? CoreV1.PersistentVolumeClaim)
        #expect(before.spec.storageClassName == nil)
    }

    /// StorageObjectInUseProtection: new volumes and claims carry the protection finalizers.
    @Test func newVolumesAreProtected() async throws {
        let h = try await RegistryHarness()
        let body = #"{"metadata":{"name":"pv"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/srv"}}}"#
        let volume = try #require(try await h.object("POST", "/api/v1/persistentvolumes", body: body) as? CoreV1.PersistentVolume)
        #expect(volume.metadata.finalizers == ["kubernetes.io/pv-protection"])
        #expect(volume.status.phase == "Pending")
    }
}
