extension MetaV1.ObjectMeta {
    /// Whether `self` and `other` are equal but for their `managedFields` (which field
    /// ownership is recorded in, never compared as fields themselves).
    public func equalsIgnoringManagedFields(_ other: MetaV1.ObjectMeta) -> Bool {
        withoutManagedFields == other.withoutManagedFields
    }

    private var withoutManagedFields: MetaV1.ObjectMeta {
        var copy = self
        copy.managedFields = nil
        return copy
    }
}
