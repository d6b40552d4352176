import FullChainCore
public import FullChainStorage
public import Logging
public import ServiceLifecycle

extension ConsumerService {
    /// Puts a signed-in consumer's proven identities on their profile: an openid with its unionid
    /// (joining any profile that holds the same unionid), or a phone; a phone proven earlier in the
    /// same browser joins the WeChat profile too, and so does the device signed in on (unless it
    /// is someone else's already).
    func attachProfile(_ session: ConsumerSession, previous: ConsumerSession? = nil, device: String? = nil, now: Int64) async throws {
        let tenantID = session.tenantID
        var identities = [(pseudonyms.of(session.subject, tenantID: tenantID), IdentityKind.of(subject: session.subject))]
        if let device { identities.append((pseudonyms.of("device:" + device, tenantID: tenantID), .device)) }
        var evidence: MergeEvidence? = nil
        if let unionid = session.unionid {
            identities.append((pseudonyms.of("unionid:" + unionid, tenantID: tenantID), .unionid))
            evidence = .sameUnionid
        }
        if let previous, previous.tenantID == tenantID, previous.subject.hasPrefix("phone:"), previous.subject != session.subject {
            identities.append((pseudonyms.of(previous.subject, tenantID: tenantID), .phone))
            evidence = .phoneThenWeChat
        }
        let profile = try await storage.profiles.attach(
            identities.map { (pseudonym: $0.0, kind: $0.1) }, label: IdentityMask.mask(subject: session.subject), evidence: evidence, at: now,
            tenantID: tenantID)
        // Signing in activates a consumer who scanned (should that fail, their next scan does).
        _ = try? await LifecycleService(storage: storage).advance(profile: profile, tenantID: tenantID, now: now)
    }

    /// The pseudonym of an identity someone at the brand typed to find a consumer: a phone
    /// number, else an openid or a unionid; nil when it is neither.
    public func searchPseudonyms(_ text: String, tenantID: Int64) -> [String] {
        let trimmed = text.trimmingWhitespace()
        if let phone = PhoneNumber(trimmed) { return [pseudonyms.of(phone.subject, tenantID: tenantID)] }
        guard WeChatWebAuth.isToken(trimmed, maxLength: 64) else { return [] }
        return [pseudonyms.of("openid:" + trimmed, tenantID: tenantID), pseudonyms.of("unionid:" + trimmed, tenantID: tenantID)]
    }

    /// Rolls up the profiles of consumers who scanned since the last run (or, given `since`, since
    /// then), their rule tags with them.
    public func rollupProfiles(tenantID: Int64, now: Int64, since: Int64? = nil) async throws -> Int {
        if let since { return try await storage.profiles.rollup(now: now, since: since, tenantID: tenantID) }
        return try await storage.profiles.rollup(now: now, tenantID: tenantID)
    }

    /// Brings the rule tags up to date with time: profiles whose windows passed, and the profiles
    /// there were before a new rule tag, in batches until done or `budget` runs out. How many
    /// profiles it evaluated.
    public func catchUpTags(tenantID: Int64, now: Int64, budget: Duration = .seconds(20)) async throws -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        var total = 0
        while clock.now - start < budget {
            let done = try await storage.tags.catchUp(now: now, batch: 500, tenantID: tenantID)
            total += done
            if done == 0 { break }
        }
        return total
    }
}

/// Keeps consumer profiles' figures current: every five minutes (and at start) each brand's
/// profiles whose consumers scanned are rolled up, idle ones move to dormant or lost, and rule
/// tags catch up with time and with new tags.
public struct ProfileRollupJob: Service {
    let consumers: ConsumerService
    let storage: AppStorage
    let logger: Logger
    let interval: Duration

    public init(consumers: ConsumerService, storage: AppStorage, logger: Logger, interval: Duration = .seconds(300)) {
        self.consumers = consumers
        self.storage = storage
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                for tenantID in try await storage.storeJob.tenantIDs() {
                    _ = try await consumers.rollupProfiles(tenantID: tenantID, now: currentMillis())
                    _ = try await consumers.catchUpTags(tenantID: tenantID, now: currentMillis())
                }
            } catch {
                logger.warning("profile rollup failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

/// Brings the profiles of consumers who just scanned up to date within a second: their figures,
/// rule tags and lifecycle stage, then lets them into the journeys those events trigger (a stage
/// reached, a store visited). The periodic rollup stays the safety net for what a stopped server
/// held in memory.
public struct ProfileTouchWorker: Service {
    let touches: ProfileTouches
    let consumers: ConsumerService
    let journeys: JourneyService
    let logger: Logger
    let interval: Duration

    public init(
        touches: ProfileTouches, consumers: ConsumerService, journeys: JourneyService, logger: Logger, interval: Duration = .milliseconds(200)
    ) {
        self.touches = touches
        self.consumers = consumers
        self.journeys = journeys
        self.logger = logger
        self.interval = interval
    }

    /// One round: every brand's waiting consumers caught up, then its event journeys' entrants let in. Answers the profiles caught up.
    @discardableResult
    public func round() async throws -> Int {
        var caught = 0
        let profiles = consumers.storage.profiles
        for (tenantID, waiting) in touches.take() {
            // Earliest first, a slice at a time, each slice's consumers let in before the next.
            let names = waiting.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
            for slice in stride(from: 0, to: names.count, by: Self.slice) {
                let now = currentMillis()
                let part = names[slice..<min(slice + Self.slice, names.count)]
                // Several profiles at once: each one's reads overlap the others' (writes still take turns).
                let share = max(1, (part.count + Self.lanes - 1) / Self.lanes)
                caught += try await withThrowingTaskGroup(of: Int.self) { group in
                    for start in stride(from: part.startIndex, to: part.endIndex, by: share) {
                        let lane = Array(part[start..<min(start + share, part.endIndex)])
                        group.addTask { try await profiles.catchUp(consumers: lane, now: now, tenantID: tenantID).count }
                    }
                    return try await group.reduce(0, +)
                }
                _ = try await journeys.enterFromEvents(tenantID: tenantID, now: currentMillis())
            }
        }
        return caught
    }

    /// Profiles caught up before their journeys' entrants are let in.
    static let slice = 400

    /// How many profiles a round catches up at once.
    static let lanes = 8

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await round()
            } catch {
                logger.warning("profile catch-up failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
