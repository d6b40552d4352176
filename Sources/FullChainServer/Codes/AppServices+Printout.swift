import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes

extension AppServices {
    /// A batch's printout as the print files carry it: signed with the batch's key, with URLs on
    /// the scan host and the product's GTIN.
    func printout(of batch: CodeBatch, format: CodePrintout.Format, link: CodePrintout.LinkStyle, tenantID: Int64) async throws -> CodePrintout {
        guard let product = try await storage.products.get(id: batch.productID, tenantID: tenantID) else { throw APIError.notFound }
        guard let entry = try await codeKeys.entry(keyID: batch.keyID), entry.tenantID == tenantID else {
            throw APIError(.serviceUnavailable, code: "no_code_key", message: "the batch's code key cannot be opened with this server's master key")
        }
        return CodePrintout(batch: batch, signer: entry.signer, format: format, link: link, host: configuration.scanHost, gtin14: product.gtin.gtin14)
    }
}
