import KubeModel

/// The order of merged lists: `$setElementOrder` first, then the order of the patch list, then
/// the order of the live list (upstream's "preserve order in strategic merge patch" design).
extension StrategicMergePatch {
    /// Processes every `$setElementOrder/<field>` of `patch`: merges the field's patch list (if
    /// any) into the original list, orders the result and removes both from `patch`.
    func mergeOrderedLists(_ original: inout [String: JSONValue], _ patch: inout [String: JSONValue],
                           _ node: SchemaNode?) throws(Failure) {
        for key in patch.keys.sorted() where key.hasPrefix(Directive.setElementOrder) {
            let orderValue = patch.removeValue(forKey: key)!
            guard case .array(let order) = orderValue else {
                throw .badArgType(expected: Failure.sliceType, actual: orderValue)
            }
            let field = try Self.fieldName(key, prefix: Directive.setElementOrder, or: .badSetElementOrderFormat)
            let originalValue = original[field]
            let patchValue = patch[field]
            var originalList: [JSONValue] = []
            var patchList: [JSONValue] = []
            if let originalValue {
                guard case .array(let items) = originalValue else {
                    throw .badArgType(expected: Failure.sliceType, actual: originalValue)
                }
                originalList = items
            }
            if let patchValue {
                guard case .array(let items) = patchValue else {
                    throw .badArgType(expected: Failure.sliceType, actual: patchValue)
                }
                patchList = items
            }
            let meta = sliceField(field, of: node)
            let strategy = try Self.strategy(meta.strategies)
            try Self.validate(patchList, against: order, mergeKey: meta.mergeKey)

            let merged: [JSONValue]
            var serverOrder = originalList
            switch (originalValue != nil, patchValue != nil) {
            case (true, false):
                merged = originalList
            case (false, true):
                guard case .array(let items)? = Self.withoutDirectives(.array(patchList)) else { continue }
                merged = items
            case (true, true):
                let result = try mergeSliceHandler(originalList, patchList, meta, strategy: strategy, isDeleteList: false)
                merged = result.merged
                serverOrder = result.originalView
            case (false, false):
                continue
            }
            let (listed, serverOnly) = try Self.partition(merged, by: order, mergeKey: meta.mergeKey)
            let kind = try Self.elementType(of: [originalList, patchList])
            original[field] = .array(try Self.normalizedOrder(listed, serverOnly, patchOrder: order,
                                                              serverOrder: serverOrder,
                                                              mergeKey: meta.mergeKey, kind: kind))
            patch[field] = nil
        }
    }

    /// The patch list's elements (deletions aside) must appear in `$setElementOrder`, in the same order.
    static func validate(_ patchList: [JSONValue], against order: [JSONValue], mergeKey: String) throws(Failure) {
        if order.isEmpty || patchList.isEmpty { return }
        let items = mergeKey.isEmpty ? patchList : try splitDeletions(patchList).kept
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < items.count && orderIndex < order.count {
            if case .object(let members) = items[patchIndex], members[Directive.marker] != nil {
                patchIndex += 1
                continue
            }
            if try mergeKeyValuesEqual(items[patchIndex], order[orderIndex], mergeKey: mergeKey) { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < items.count && orderIndex >= order.count {
            throw .other("the order in patch list:\n\(JSONValue.array(patchList).goDescription)\n doesn't match "
                         + "\(Directive.setElementOrder) list:\n\(JSONValue.array(order).goDescription)")
        }
    }

    static func mergeKeyValuesEqual(_ left: JSONValue, _ right: JSONValue, mergeKey: String) throws(Failure) -> Bool {
        if mergeKey.isEmpty { return left == right }
        guard case .object(let leftMap) = left else { throw .badArgType(expected: Failure.mapType, actual: left) }
        guard case .object(let rightMap) = right else { throw .badArgType(expected: Failure.mapType, actual: right) }
        guard let leftKey = leftMap[mergeKey] else { throw .noMergeKey(leftMap, mergeKey) }
        guard let rightKey = rightMap[mergeKey] else { throw .noMergeKey(rightMap, mergeKey) }
        return leftKey == rightKey
    }

    /// Splits `list` into the elements present in `reference` (by merge key for maps, by value
    /// for scalars) and the others, keeping their order.
    static func partition(_ list: [JSONValue], by reference: [JSONValue],
                          mergeKey: String) throws(Failure) -> ([JSONValue], [JSONValue]) {
        var present: [JSONValue] = []
        var absent: [JSONValue] = []
        if mergeKey.isEmpty {
            let members = Set(reference)
            for item in list {
                if members.contains(item) { present.append(item) } else { absent.append(item) }
            }
            return (present, absent)
        }
        for item in list {
            guard case .object(let map) = item else { throw .badArgType(expected: Failure.mapType, actual: item) }
            guard let value = map[mergeKey] else { throw .noMergeKey(map, mergeKey) }
            if try findMap(in: reference, key: mergeKey, value: value) != nil {
                present.append(item)
            } else {
                absent.append(item)
            }
        }
        return (present, absent)
    }

    /// Orders the patch's elements by `patchOrder` and the server-only elements by
    /// `serverOrder`, then interleaves them, keeping server-only elements before the first
    /// patch element that follows them in the live list.
    static func normalizedOrder(_ patchItems: [JSONValue], _ serverOnly: [JSONValue], patchOrder: [JSONValue],
                                serverOrder: [JSONValue], mergeKey: String, kind: String) throws(Failure) -> [JSONValue] {
        let left = try sortedSlice(serverOnly, by: serverOrder, mergeKey: mergeKey, kind: kind)
        let right = try sortedSlice(patchItems, by: patchOrder, mergeKey: mergeKey, kind: kind)
        var result: [JSONValue] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if i >= left.count {
                result.append(right[j]); j += 1
            } else if j >= right.count {
                result.append(left[i]); i += 1
            } else {
                let li = index(of: left[i], in: serverOrder, mergeKey: mergeKey, kind: kind)
                let ri = index(of: right[j], in: serverOrder, mergeKey: mergeKey, kind: kind)
                if li >= 0 && ri >= 0 && li < ri {
                    result.append(left[i]); i += 1
                } else {
                    result.append(right[j]); j += 1
                }
            }
        }
        return result
    }

    /// `list` stably sorted by the positions of its elements in `order` (upstream's comparison,
    /// which calls an element missing from `order` "less", run as Go's insertion sort).
    static func sortedSlice(_ list: [JSONValue], by order: [JSONValue], mergeKey: String,
                            kind: String) throws(Failure) -> [JSONValue] {
        var items = list
        var deletions: [JSONValue] = []
        if kind == Failure.mapType {
            for item in list + order {
                guard case .object(let map) = item else { throw .badArgType(expected: Failure.mapType, actual: item) }
                if map[mergeKey] == nil { throw .noMergeKey(map, mergeKey) }
            }
            (items, deletions) = try splitDeletions(list)
        }
        let positions = items.map { index(of: $0, in: order, mergeKey: mergeKey, kind: kind) }
        var permutation = Array(items.indices)
        func less(_ a: Int, _ b: Int) -> Bool {
            let pa = positions[permutation[a]], pb = positions[permutation[b]]
            return pa >= 0 && pb >= 0 ? pa < pb : true
        }
        for i in permutation.indices.dropFirst() {
            var j = i
            while j > 0 && less(j, j - 1) {
                permutation.swapAt(j, j - 1)
                j -= 1
            }
        }
        return permutation.map { items[$0] } + deletions
    }

    /// The elements of `list` without and with `$patch: delete`.
    static func splitDeletions(_ list: [JSONValue]) throws(Failure) -> (kept: [JSONValue], deleted: [JSONValue]) {
        var kept: [JSONValue] = []
        var deleted: [JSONValue] = []
        for item in list {
            guard case .object(let map) = item else { throw .badArgType(expected: Failure.mapType, actual: item) }
            if map[Directive.marker] == .string(Directive.delete) { deleted.append(item) } else { kept.append(item) }
        }
        return (kept, deleted)
    }

    /// The position of `item` in `list`, matching maps by merge key; -1 when absent.
    static func index(of item: JSONValue, in list: [JSONValue], mergeKey: String, kind: String) -> Int {
        func key(_ value: JSONValue) -> JSONValue? {
            guard kind == Failure.mapType else { return value }
            guard case .object(let map) = value, let key = map[mergeKey], key != .null else { return nil }
            return key
        }
        let wanted = key(item)
        return list.firstIndex { key($0) == wanted } ?? -1
    }
}
