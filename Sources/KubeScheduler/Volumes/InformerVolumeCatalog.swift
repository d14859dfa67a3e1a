import KubeClient
import KubeModel

/// The scheduler's claims, volumes and storage classes, read from its informers.
struct InformerVolumeCatalog: VolumeCatalog {
    let claims: Lister<CoreV1.PersistentVolumeClaim>
    let volumeLister: Lister<CoreV1.PersistentVolume>
    let classes: Lister<StorageV1.StorageClass>

    func claim(namespace: String, name: String) -> CoreV1.PersistentVolumeClaim? { claims.get(namespace: namespace, name: name) }
    func volume(named name: String) -> CoreV1.PersistentVolume? { volumeLister.get(name: name) }
    func volumes() -> [CoreV1.PersistentVolume] { volumeLister.list() }
    func storageClass(named name: String) -> StorageV1.StorageClass? { classes.get(name: name) }
}
