import KubeModel

/// One event of a watch (meta/v1 `WatchEvent`), decoded.
public enum WatchEvent<Object: KubeObject>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The resourceVersion the watch has reached, with no change (`allowWatchBookmarks`).
    case bookmark(resourceVersion: String)
    /// The server ended the watch with an error, e.g. 410 Expired (relist).
    case error(StatusError)
}
