public import FullChainCore
import FullChainStorage

extension ConsumerService {
    /// Defines a tag: its rule checked (the product and store it names are the brand's), and a
    /// rule tag put on the profiles there are for up to a second (the profile rollup job does the rest).
    public func createTag(_ input: TagInput, owner: String, tenantID: Int64, now: Int64) async throws -> ConsumerTag {
        let draft = try input.validated()
        if let product = draft.rule?.productID, try await storage.products.get(id: product, tenantID: tenantID) == nil {
            throw ValidationError([FieldError(field: "rule.productID", code: "invalid_reference", message: "rule.productID names no product")])
        }
        if let store = draft.rule?.storeID,
            try await storage.stores.get(id: store, scope: AccessScope(tenantID: tenantID, reach: .wholeTenant)) == nil
        {
            throw ValidationError([FieldError(field: "rule.storeID", code: "invalid_reference", message: "rule.storeID names no store")])
        }
        let tag: ConsumerTag
        do throws(any Error) {
            tag = try await storage.tags.create(draft, owner: owner, at: now, tenantID: tenantID)
        } catch StorageError.duplicate {
            throw AppError(.conflict, code: "tag_exists", message: "a tag of that name exists")
        }
        guard tag.rule != nil else { return tag }
        _ = try await catchUpTags(tenantID: tenantID, now: now, budget: .seconds(1))
        return try await storage.tags.get(id: tag.id, tenantID: tenantID) ?? tag
    }
}
