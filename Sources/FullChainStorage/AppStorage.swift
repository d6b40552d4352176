import Logging

/// Every repository over one database: what the server and the CLI hold.
public struct AppStorage: Sendable {
    public let database: any SQLDatabase
    public let tenants: any TenantRepository
    public let org: any OrgRepository
    public let users: any UserRepository
    public let tokens: any AuthTokenRepository
    public let distributors: any DistributorRepository
    public let stores: any StoreRepository
    public let products: any ProductRepository
    public let imports: any ImportRunRepository

    public init(database: any SQLDatabase) {
        self.database = database
        tenants = SQLTenantRepository(db: database)
        org = SQLOrgRepository(db: database)
        users = SQLUserRepository(db: database)
        tokens = SQLAuthTokenRepository(db: database)
        distributors = SQLDistributorRepository(db: database)
        stores = SQLStoreRepository(db: database)
        products = SQLProductRepository(db: database)
        imports = SQLImportRunRepository(db: database)
    }
}
