import Foundation
import FullChainApp
import FullChainCore

/// The text of the web pages in Chinese (the default) and English.
struct L10n: Sendable {
    let language: Language
    /// The brand's time zone: times show in it.
    let timeZone: TimeZone

    init(_ language: Language, timeZone: TimeZone = BrandTimeZones.china) {
        self.language = language
        self.timeZone = timeZone
    }

    /// `2026-03-01 14:05` in the brand's time zone.
    func dateTime(_ millis: Int64) -> String {
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
        return Format.dateTime(millis: millis, offsetSeconds: Int64(offset))
    }

    func callAsFunction(_ key: Key) -> String {
        let pair = key.text
        return language == .zh ? pair.zh : pair.en
    }

    /// A text with its `{name}` placeholders filled in one pass (a value is never read as a placeholder;
    /// pages escape the result).
    func callAsFunction(_ key: Key, _ values: [String: String]) -> String {
        let template = self(key)
        var text = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            text += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            text += values[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }

    /// The `lang` attribute of a page.
    var htmlLang: String { language == .zh ? "zh-CN" : "en" }

    /// `第 1–50 条，共 1,234 条` / `1–50 of 1,234`.
    func range(from: Int, to: Int, total: Int) -> String {
        if total == 0 { return self(.noResults) }
        let (a, b, n) = (Format.number(from), Format.number(to), Format.number(total))
        return self(.rangeOfTotal, ["from": a, "to": b, "total": n])
    }

    /// `共 12 条` / `12 in all`.
    func total(_ count: Int) -> String {
        self(.totalCount, ["total": Format.number(count)])
    }

    func label(_ type: StoreType) -> String {
        switch type {
        case .supermarket: self(.typeSupermarket)
        case .convenience: self(.typeConvenience)
        case .grocery: self(.typeGrocery)
        case .restaurant: self(.typeRestaurant)
        case .liquorShop: self(.typeLiquorShop)
        case .wholesale: self(.typeWholesale)
        case .other: self(.typeOther)
        }
    }

    /// Where a scan rate came from.
    func label(_ source: ScanRateEstimate.Source) -> String {
        switch source {
        case .counts: self(.scanRateFromCounts)
        case .massBalance: self(.scanRateFromMassBalance)
        case .default: self(.scanRateDefault)
        }
    }

    func label(_ role: Role) -> String {
        switch role {
        case .admin: self(.roleAdmin)
        case .manager: self(.roleManager)
        case .salesperson: self(.roleSalesperson)
        case .distributor: self(.roleDistributor)
        case .store: self(.roleStore)
        }
    }

    func label(_ status: MasterDataStatus) -> String {
        status == .active ? self(.active) : self(.inactive)
    }

    func label(_ level: OrgLevel) -> String {
        switch level {
        case .region: self(.levelRegion)
        case .area: self(.levelArea)
        case .city: self(.levelCity)
        case .salesperson: self(.levelSalesperson)
        }
    }

    /// An import column's header in the page's language.
    func label(_ column: ImportColumn) -> String {
        language == .zh ? column.zh : column.en
    }

    func label(_ kind: ImportKind) -> String {
        switch kind {
        case .stores: self(.kindStores)
        case .distributors: self(.kindDistributors)
        case .products: self(.kindProducts)
        case .users: self(.kindUsers)
        }
    }

    // MARK: Store intelligence

    func label(_ kind: StoreAnomalyKind) -> String {
        switch kind {
        case .tooHigh: self(.salesTooHigh)
        case .tooLow: self(.salesTooLow)
        case .offPeers: self(.farFromPeers)
        case .dormant: self(.dormant)
        case .outOfStockRisk: self(.outOfStockRisk)
        case .slowMover: self(.slowMover)
        case .followUp: self(.followUp)
        }
    }

    /// Why the store is abnormal, with the alert's numbers.
    func why(_ alert: StoreAlert) -> String {
        let n = Robust.text
        let peers = alert.peerMedian.map { self(.whyPeerMedian, ["median": n($0)]) } ?? ""
        let figures = ["observed": n(alert.observed), "baseline": n(alert.baseline), "score": n(alert.score), "peers": peers]
        let key: Key =
            switch alert.kind {
            case .dormant: .whyDormant
            case .tooHigh: .whyTooHigh
            case .tooLow: .whyTooLow
            case .offPeers: .whyOffPeers
            case .outOfStockRisk: .whyOutOfStock
            case .slowMover: alert.score >= 999 ? .whySlowMoverNoSales : .whySlowMover
            case .followUp: .whyFollowUp
            }
        return self(key, figures.merging(["text": alert.reason]) { old, _ in old })
    }

    /// Why a strategy is recommended: its cause, with the figures the job recorded.
    func why(_ advice: StrategyAdvice, tier: StoreTier) -> String {
        let n = Robust.text
        let figures = advice.figures ?? []
        let figure = { (index: Int) in n(figures.indices.contains(index) ? figures[index] : 0) }
        let percent = { (index: Int) in n((figures.indices.contains(index) ? figures[index] : 0) * 100) + "%" }
        let comeBack = { (cause: String) in self(.adviceComeBack, ["cause": cause]) }
        return switch advice.cause {
        case .coverLeft?: self(.adviceCoverLeft, ["days": figure(0)])
        case .tooMuchStock?: self(.adviceTooMuchStock, ["days": figure(0)])
        case .fewNewProducts?: self(.adviceFewNewProducts, ["share": percent(0), "peers": percent(1), "tier": tier.rawValue])
        case .goneQuiet?: comeBack(self(.adviceGoneQuiet))
        case .fellBelowBaseline?: comeBack(self(.adviceFellBelowBaseline))
        case .declining?: comeBack(self(.adviceDeclining, ["drop": percent(0)]))
        case .belowPeers?: comeBack(self(.adviceBelowPeers))
        case .visitOverdue?: self(.adviceVisitOverdue, ["days": figure(0), "cycle": figure(1)])
        case .neverVisited?: self(.adviceNeverVisited, ["cycle": figure(0)])
        case .nothingAbnormal?: self(.adviceNothingAbnormal)
        // Computed before causes were recorded: the strategy's name says enough.
        case nil: ""
        }
    }

    func label(_ status: TaskStatus) -> String {
        switch status {
        case .open: self(.taskOpen)
        case .visited: self(.visited)
        case .resolved: self(.resolved)
        }
    }

    func label(_ outcome: ConversionOutcome) -> String {
        switch outcome {
        case .pending: self(.pending)
        case .converted: self(.backToNormal)
        case .notConverted: self(.notConverted)
        }
    }

    func label(_ reason: ResolutionReason) -> String {
        switch reason {
        case .restocked: self(.restocked)
        case .displayFixed: self(.displayFixed)
        case .promotionRun: self(.promotionRun)
        case .consumersActivated: self(.consumersActivated)
        case .storeClosed: self(.storeClosed)
        case .competitor: self(.competitor)
        case .seasonal: self(.seasonal)
        case .dataError: self(.dataError)
        case .other: self(.typeOther)
        case .causeGone: self(.causeGoneClosed)
        }
    }

    func label(_ tag: StoreTag) -> String {
        switch tag {
        case .newProductAdopter: self(.newProductAdopter)
        case .loyalBuyers: self(.loyalBuyers)
        case .growing: self(.growing)
        case .declining: self(.declining)
        case .stable: self(.stable)
        }
    }

    func label(_ strategy: StoreStrategy) -> String {
        switch strategy {
        case .restock: self(.restock)
        case .clearStock: self(.clearStock)
        case .pushNewProduct: self(.pushTheNewProduct)
        case .activateConsumers: self(.activateConsumersNearby)
        case .raiseVisitFrequency: self(.visitMoreOften)
        case .keepUp: self(.keepUp)
        }
    }

    /// Every piece of page text: key → (zh, en).
    enum Key: CaseIterable, Sendable {
        case appTagline
        case navOverview, navOrg, navUsers, navDistributors, navStores, navProducts, navAlerts, navImports
        case alertsLead, alertKind, alertReason, alertWhere, alertWhen, alertEvidence, alertSubject, alertMap, allKinds, allReasons
        case kindDiversion, kindCounterfeit, reasonStoreReceipt, reasonConsumerScans, reasonFarApart, reasonInvalidCodes, devicesCount, eventsCount
        case signOut, signedInAs, languageSwitch, mainNavigation

        case loginTitle, loginHeading, loginLead, brandCode, username, password, signIn, loginFailed, loginLocked, loginFooter

        case overviewLead, dataScope, reachWholeTenant, reachSubtree, reachDistributor, reachStore
        case kpiStores, kpiActiveStores, kpiDistributors, kpiProducts, kpiSalespeople
        case storesByType, storesByProvince, storesByProvinceNote, recentImports, viewAll, noData

        case levelRegion, levelArea, levelCity, levelSalesperson
        case orgLead, orgEmpty, people, noPeople, nodes, viewStores

        case searchPlaceholderUsers, role, allRoles, displayName, attachedTo
        case roleAdmin, roleManager, roleSalesperson, roleDistributor, roleStore

        case code, name, contact, phone, address, territory, managingOrg, storesSupplied, searchPlaceholderDistributors
        case showingFirst, seeAllStores, regionsCount, basicInfo

        case searchPlaceholderStores, storeType, allTypes, region, allProvinces, distributor, salesperson
        case location, noLocation, countyCentre, fromCountyCentre, radius, storeDetail, latitude, longitude
        case sameDistributorStores, sameSalespersonStores, apiJSON, regionCode
        case filterDistributor, filterSalesperson, clearFilter
        case typeSupermarket, typeConvenience, typeGrocery, typeRestaurant, typeLiquorShop, typeWholesale, typeOther

        case searchPlaceholderProducts, gtin, category, price, unitsPerCase, launchDate

        case importLead, templatesAndExports, kind, template, export, upload, file, keepGood, uploadHint, uploadButton
        case uploading, uploadFailed, chooseFile, history, fileName, format, totalRows, importedRows, errorCount
        case importResult, rowErrors, rowNumber, column, errorCode, message, noErrors, importRejected, importPartial
        case noImportPermission, errorsTruncated, importedBy, encoding
        case kindStores, kindDistributors, kindProducts, kindUsers

        case navCampaigns, navSettlements, navStoreAlerts
        case campaignsLead, newCampaign, campaignName, campaignWindow, statusRunning, statusUpcoming, statusEnded
        case draws, participants, winners, spentOfBudget, storeRewards, budgetLeft, costPerParticipant, prizesGiven, pointsGiven
        case prizeTiers, tierName, prizeKind, amountYuan, pointsLabel, couponCode, probabilityPercent, stock, unlimited
        case prizeCash, prizePoints, prizeFreeItem, prizeCoupon, outcomes, consumerBudget, storeBudget, storeRewardPerScan
        case perConsumerPerDay, perDevicePerDay, campaignProducts, campaignRegions, campaignRegionsHint, everywhere, startsAt, endsAt
        case createCampaign, saving, saveFailed, fixFields, reviewQueue, reviewLead, heldPayouts, riskScore, riskReasons, amount, wallet
        case approve, reject, reviewApproved, reviewRejected, reviewEmpty
        case heldReceipts, heldReceiptsLead, heldReceiptsEmpty, receivedCase, heldRewards, receiptApproved, receiptRejected
        case flagOtherDistributor, flagOtherStore
        case stockUnknown, stockRange, scanRateFromCounts, scanRateFromMassBalance, scanRateDefault
        case settlementsLead, periodFrom, periodTo, storeLines, distributorLines, rewardedScans, rewardsEarned, amountDue, storesCount
        case vouchersRedeemed, vouchersAmount, fenceStores, fenceRadius, fenceHint
        case search, filter, reset, all, status, allStatuses, active, inactive, createdAt, updatedAt, time, details
        case previous, next, noResults, backToList, none, yes, no

        case errorTitle, notFoundTitle, notFoundText, forbiddenTitle, forbiddenText, tooLargeText, serverErrorText
        case badRequestText, backHome
        case tooManyRequestsTitle, tooManyRequestsText
        case storeAlertsLead, rankingLead, storeTier
        case colon, listSeparator, inParentheses, moreRegions, rangeOfTotal, totalCount
        case whyPeerMedian, whyDormant, whyTooHigh, whyTooLow, whyOffPeers, whyOutOfStock, whySlowMoverNoSales, whySlowMover, adviceCoverLeft
        case adviceTooMuchStock, adviceFewNewProducts, adviceComeBack, adviceGoneQuiet, adviceFellBelowBaseline, adviceDeclining, adviceBelowPeers
        case adviceVisitOverdue, adviceNeverVisited, adviceNothingAbnormal
        case scanChecking, scanFirst, scanRepeat, scanInactive, scanVoided, scanFake, scanStore, scanNearby, scanKm, scanError, scanWon, scanCash
        case scanFreeItem, scanPoints, scanCoupon, scanReview, scanLost, scanAlreadyDrawn, scanLimitReached, scanOutOfStock, scanBudgetSpent
        case scanIdentityNeeded, scanInactiveCode, scanPageTitle, scanTagline, scanUnknownProduct, scanLot
        case scanCashSignIn, scanCashKept, scanSignIn, scanSignedIn, scanMine
        case meTitle, meSignedInAs, meNotSignedIn, mePoints, mePrizes, meNoPrizes, meClaimed, meSignOut, backToProduct
        case payoutQueued, payoutSending, payoutPaid, payoutFailed, payoutHeld, payoutRejected
        case signInFailedTitle, signInNotConfigured, signInStateInvalid, signInCodeInvalid, signInCodeUsed, signInUnavailable
        case scanCashPhone, scanPhoneSignIn, meSignedInPhone, meCashWaiting, meClaimWithWeChat
        case phoneTitle, phoneLabel, phoneSend, phoneResend, phoneCodeLabel, phoneSignIn, phoneSent, phoneInvalid, phoneSentRecently
        case phoneSendLimit, phoneLocked, phoneCodeIncorrect, phoneCodeExpired, phoneCodeLocked, phoneNotConfigured, phoneMisconfigured
        case meData, meExport, meDeleteNote, meDeleteConfirm, meDelete, meDeletedTitle, meDeleted, meDeleteUnconfirmed
        case meConsents, consentMarketing, consentLocation, consentStoreSharing, consentSave, consentSaved, privacyTitle, privacyText
        case privacyVersion
        case couponsRedeemed, couponsAmount, navMall, mallLead, mallTitle, mallPrice, mallLeft, mallTake, mallNoItems, mallTaken
        case mallOutOfStock, mallLimitReached, mallNotEnoughPoints, mallUnavailable, mallKindCoupon, mallKindGift, mallKindVoucher
        case mallFaceValue, mallPerPerson, mallValidDays, mallAvailable, mallStock, mallStockLeft, mallPricePoints, mallFaceValueYuan
        case mallItemName, mallCreate, mallCreated, mallTakenCount, meCoupons, meNoCoupons, couponValid, couponUsed, couponExpired
        case couponShow, mePointsHistory, pointsWon, pointsClaimed, pointsSpent, pointsOther, couponRedeemTitle, couponCodeLabel
        case navConsumers, consumersLead, consumerSearchPlaceholder, consumer, consumerStage, consumerScans, firstScan, lastScan, boughtAt
        case stageNew, stageActive, stageLoyal, stageDormant, stageLost, allStages, verifiedConsumer, unverifiedConsumer, moreThan
        case identities, identityOpenid, identityUnionid, identityPhone, identityScanner, firstSeen, productsScanned, storesBoughtFrom
        case cashWon, pointsWonLabel, pointsBalanceLabel, couponsTaken, consentsTitle, consentGiven, consentWithdrawn, consentNone, timeline
        case eventScan, eventRewardCash, eventRewardPoints, eventCoupon, eventCouponRedeemed, eventConsent, eventMerge, mergesTitle
        case evidenceSameUnionid, evidenceSamePhone, evidencePhoneThenWeChat, evidenceManual, mergedProfile, keptProfile, undoMerge, mergeUndone
        case mergedIntoNotice, mergeInto, mergeIntoHint, mergeDone, mallKindCash, mallCashNeedsWeChat, mallCashSent, identityDevice
        case couponRedeemButton, couponRedeemHint, couponRedeemedOK, couponAlreadyRedeemed, couponExpiredAt, couponNotFound, couponStore
        case riskDeviceBlacklisted, riskIPBlacklisted, riskOpenIDBlacklisted, riskPhoneBlacklisted, riskDeviceVelocity
        case riskSharedDevice, riskSharedIP, riskHarvestedCodes, riskImpossibleTravel
        case outcomeWon, outcomeNoPrize, outcomeAlreadyDrawn, outcomeLimitReached, outcomeOutOfStock, outcomeBudgetSpent, outcomeNoIdentity
        case outcomeInactiveCode

        case salesTooHigh, salesTooLow, farFromPeers, dormant, outOfStockRisk, slowMover, taskOpen, visited, resolved, pending, backToNormal
        case notConverted, restocked, displayFixed, promotionRun, consumersActivated, storeClosed, competitor, seasonal, dataError, causeGoneClosed
        case newProductAdopter, loyalBuyers, growing, declining, stable, restock, clearStock, pushTheNewProduct, activateConsumersNearby
        case visitMoreOften, keepUp, salespersonRanking, conversion, raised, why, due, rankingOwnLead, rank, score, coverageInCycle, visitsADay
        case alertsVisited, medianResponse, conversionRate, territoryGrowth, myTasks, saved, noOpenTasksToday, dueOn, checkInAndCount, shelfUnits,
            facings
        case notes, shelfPhoto, checkIn, resolution, note, resolve, scannedSales28Days, previous28Days, estimatedStock, openAlerts
        case sellThroughAndReceipts, stockAndReorder, product, stockColumn, soldADay, daysOfCover, scanRate, reorder, countedPrefix, unitsSuffix,
            profileAndStrategy
        case newProductShare, repeatBuyerShare, madeByDailyJob, alertsAndTasks, noAlerts, visits, noVisitsYet, photo, scannedSalesADay, receivedOn
        case consumerScansUnits, caseReceipts
        case navConsumerTags, tagsLead, tagName, tagDescription, tagOwner, tagRule, tagMembers, tagManual, tagComputing, tagCreate, tagCreated
        case tagDelete, tagDeleted, tagsTitle, allTags, addTag, removeTag, tagByRule, noTags, tagExists, tagKindManual, tagKindScans
        case tagKindIdle, tagKindNewcomer, tagKindRewards, tagKindPointsSpent, ruleScansIn, ruleScansAll, ruleIdle, ruleNewcomer, ruleRewardsIn
        case ruleRewardsAll, rulePointsSpent, ruleOfProduct, ruleAtStore, ruleInRegion, tagAtLeast, tagDays, tagStoreNumber, tagAnyProduct
        case tagAnyRegion, errRequired, errTooLong, errOutOfRange, errInvalid, tagHowTo
        case navSegments, segmentsLead, segmentName, segmentRule, segmentCount, segmentCreate, segmentCreated, segmentDeleted, noSegments
        case segmentExists, segmentMatchAll, segmentMatchAny, segmentInclude, segmentExclude, condNone, condTag, condStage, condRegion, condStore
        case condVerified, condScanned, condRedeemed, liveCount, liveCountIncomplete, segmentMembers, segmentHowTo, wordsTag, wordsStage
        case wordsRegion, wordsStore, wordsVerified, wordsRedeemed, wordsNot, wordsAnd, wordsOr, segmentCondition, segmentUnbounded, segmentTooDeep
        case segmentBadReference, segmentExport
        case navLifecycle, lifecycleLead, lifecycleStage, stageAcquired, stageActivated, stageRetained, stageRevenue, stageReferral
        case causeFirstScan, causeSignedIn, causeFirstReward, causeRepeatScan, causeRedeemed, causePointsSpent, causeReferredScan
        case lifecycleFunnel, funnelReached, funnelConversion, funnelMoved, cohortRetention, cohortWeek, cohortConsumers, weekN
        case lifecycleSettings, lifecycleHowTo, retainedWithinDays, activateOnSignIn, activateOnReward, revenueOnRedemption, revenueOnPointsSpent
        case settingsSaved, orgUnit, wholeReach, errUnreachable, lifecycleMoves, noLifecycleMoves
        case inviteTitle, inviteUnknown, inviteLanding, inviteFriends, navKOCs, kocsLead, kocStore, kocInvited, kocRepeatRate, kocSecondHop
        case kocScore, heldReferrals, referrerColumn, newcomerColumn, holdReasons, referralCount, referralReject, holdSelfReferral
        case holdSharedDevice, holdIPCluster, holdRing, kocDensity, kocCount, kocLine, kocDensityNone, kocDensityLow, kocDensityMedium
        case kocDensityHigh, kocBadge, referralRewards, referralRewardsNow, referralRewardPoints, referralAddBudget
        case triggerStoreVisit, triggerDate, triggerDay, stepNextRow, navJourneys, journeysLead, journeyNew, journeyEdit, journeyName, journeyStatus,
            journeyDraft, journeyRunning, journeyPaused
        case journeyEnded, journeyTrigger, triggerStage, triggerInactive, triggerSegment, triggerDays, journeySteps, stepN, stepUnused
        case stepWait, stepBranch, stepPoints, stepMessage, stepExit, stepHours, stepThen, stepOtherwise, stepEndJourney, stepText
        case stepCondition, condSegmentMember, condScannedSinceEntry, journeyPoints, journeyHoldout, journeyWeeklyCap, journeyQuietFrom
        case journeyQuietTo, journeyGoalDays, journeyBudget, journeyRules, journeySave, journeySaveChanges, journeyStart, journeyPause
        case journeyEnd, journeyCreated, journeyEntered, journeyHeldOut, journeyActive, journeyConversion, journeyHoldoutConversion
        case journeyUplift, journeyBudgetLeft, journeyOutcomes, outcomeDone, outcomeSending, outcomeUnknown, outcomeNoConsent
        case outcomeCapped, outcomeFailed, journeyCycle, journeyNoLinks, journeyExists, journeyNotEditable
        case journeyHowTo, noJourneys
        case campaignAudience, audienceEveryone, audienceHint
        case stepCoupon, stepTask, stepNotify, stepChannel, channelSMS, channelWeChat, stepItem, stepNote, outcomeNoneLeft, outcomeNoStore
        case followUp, whyFollowUp, navNotices, noticesLead, noNotices, noticeStore, noticeAt, noticeMarkRead, noticeRead
        case dashboardTitle, dashboardLead, presetToday, presetYesterday, presetLast7, presetLast30, presetThisMonth, presetLastMonth, presetLast90
        case periodShow, metricScans, metricUnitsSold, metricSales, metricActiveStores, metricNewCustomers
        case metricReward, metricCostPerNew, metricDiversion, metricCounterfeit, metricStoreAlerts, monthOnMonth, yearOnYear, dashboardTrend
        case dashboardChildren, dashboardUnit, dashboardUnassigned, dashboardWholeBrand, dashboardMap, dashboardMapNote, dashboardComparedWith
        case dashboardUnitsPrevious, dashboardUnitsLastYear, dashboardNoActivity, dashboardExportCSV
        case dashboardExportXLSX, dashboardMyRank, dashboardMyTasks, dashboardMasterData, dashboardStoreLevel, dashboardSortBy
        case overdue, openMap, productAtRisk, deskVoided
        case deskTitle, deskLead, deskReceive, deskReceiveHint, deskCaseCode, deskCapCode, deskTypeOrScan, deskCamera
        case deskReceiveButton, deskVoucher, deskVoucherHint, deskRedeemButton, deskCoupons, deskReceived, deskRedeemed, deskDelivered
        case deskDeliveries, deskDeliveriesLead, deskToStore, deskDeliverButton, deskNoStores, deskFailed, deskInvalidCode, deskNoVoucher
        case deskAlreadyRedeemed, deskAlreadyReceived, deskAlreadyDelivered, deskNotShipped, deskShippedElsewhere, deskNotYours, deskNotFound,
            deskForbidden
        case deskRetry, deskCameraOff
        case navSupply, supplyLead, supplyReceived, supplySold, supplySellThrough, supplyBuildUp, supplyStores, supplyDeliveries, supplyNoDeliveries,
            supplyStore, supplyCase, supplyAt, supplyCaseOf, callStore, campaignChange, campaignChangeHint
        case walletTitle, walletRewards, walletScans, walletCount, walletVouchers, walletCoupons, walletDue, walletStatement
        case campaignRegionsPick, addTier, removeRegion
        case campaignPause, campaignResume, statusPaused, payoutUnknown, payoutBacklog, payoutCount, noPayouts, reviewHeld
        case navCodes, codesLead, codesNewBatch, codesLot, codesQuantity, codesCases, codesUnitsPerCaseHint, codesCreate, codesNoBatches
        case codesNoProducts, codesBatch, codesDownloads, codesDownloadCSV, codesDownloadGS1, codesDownloadTXT, codesQRSheetUnits
        case codesQRSheetCases, codesRangeAction, codesRangeHint, codesFirstCase, codesLastCase, codesAction, codesActivate, codesVoid
        case codesApply, codesShip, codesShipHint, codesShipButton, codesNoDistributors, codesHistory, codesNoHistory, codesCaseRuns
        case codesCaseRunsHint, codesCaseRange, codesShippedTo, codesHeldBy, codesNotShipped, codeInactive, codeActive, codeVoided
        case codesDone, codesEarlierCases, codesLaterCases

        var text: (zh: String, en: String) {
            switch self {
            case .appTagline: ("品牌全链路营销", "Full-chain marketing")
            case .navOverview: ("概览", "Overview")
            case .navStoreAlerts: ("门店异常", "Abnormal stores")
            case .navOrg: ("组织架构", "Organisation")
            case .navUsers: ("用户", "Users")
            case .navDistributors: ("经销商", "Distributors")
            case .navStores: ("门店", "Stores")
            case .navProducts: ("产品", "Products")
            case .navImports: ("导入导出", "Import & export")
            case .navAlerts: ("窜货与防伪预警", "Alerts")
            case .alertsLead: ("按最近证据排序；只显示你管辖范围内的预警", "Latest evidence first; only alerts within your part of the org")
            case .alertKind: ("类型", "Kind")
            case .alertReason: ("依据", "Evidence")
            case .alertWhere: ("地点", "Where")
            case .alertWhen: ("最近", "Latest")
            case .alertEvidence: ("证据", "Evidence count")
            case .alertSubject: ("对象", "Subject")
            case .alertMap: ("预警分布", "Where alerts were seen")
            case .allKinds: ("全部类型", "All kinds")
            case .allReasons: ("全部依据", "All evidence")
            case .kindDiversion: ("窜货", "Diversion")
            case .kindCounterfeit: ("疑似假冒", "Counterfeit")
            case .reasonStoreReceipt: ("区域外门店收货", "Received by a store outside the territory")
            case .reasonConsumerScans: ("区域外消费者扫码", "Consumer scans outside the territory")
            case .reasonFarApart: ("同一码异地扫描", "One code scanned far apart")
            case .reasonInvalidCodes: ("反复扫描无效码", "Repeated invalid codes")
            case .devicesCount: ("设备", "devices")
            case .eventsCount: ("次", "events")
            case .signOut: ("退出登录", "Sign out")
            case .signedInAs: ("当前用户", "Signed in as")
            case .languageSwitch: ("语言", "Language")
            case .mainNavigation: ("主导航", "Main navigation")

            case .loginTitle: ("登录", "Sign in")
            case .loginHeading: ("登录 FullChain", "Sign in to FullChain")
            case .loginLead: ("品牌商、经销商、门店一体化的全链路营销平台", "One platform for brand, distributors and stores")
            case .brandCode: ("品牌代码", "Brand code")
            case .username: ("用户名", "Username")
            case .password: ("密码", "Password")
            case .signIn: ("登录", "Sign in")
            case .loginFailed: ("品牌代码、用户名或密码不正确", "Unknown brand code, username or password")
            case .loginLocked: ("登录失败次数过多，请稍后再试", "Too many failed sign-ins; please wait a while and try again")
            case .loginFooter: ("忘记密码请联系品牌总部管理员", "Forgot your password? Ask your brand's HQ admin")

            case .overviewLead: ("你的数据范围内的门店、经销商与产品", "Stores, distributors and products within your reach")
            case .dataScope: ("数据范围", "Data scope")
            case .reachWholeTenant: ("全品牌", "The whole brand")
            case .reachSubtree: ("所辖组织及下级", "Your org unit and below")
            case .reachDistributor: ("本经销商及其供货门店", "Your distributor and its stores")
            case .reachStore: ("本门店", "Your store")
            case .kpiStores: ("门店总数", "Stores")
            case .kpiActiveStores: ("启用门店", "Active stores")
            case .kpiDistributors: ("经销商", "Distributors")
            case .kpiProducts: ("在售产品", "Products")
            case .kpiSalespeople: ("业代", "Salespeople")
            case .storesByType: ("门店类型分布", "Stores by type")
            case .storesByProvince: ("门店省份分布", "Stores by province")
            case .storesByProvinceNote: ("经销商经营区域覆盖的省份", "Provinces in distributors' territories")
            case .recentImports: ("最近导入", "Recent imports")
            case .viewAll: ("查看全部", "View all")
            case .noData: ("暂无数据", "Nothing here yet")

            case .levelRegion: ("大区", "Region")
            case .levelArea: ("地区", "Area")
            case .levelCity: ("城市", "City")
            case .levelSalesperson: ("业代", "Salesperson")
            case .orgLead: ("大区 → 地区 → 城市 → 业代，以及各节点的人员", "Region → area → city → salesperson, with the people at each node")
            case .orgEmpty: ("你的数据范围内没有组织节点", "No org units within your reach")
            case .people: ("人员", "People")
            case .noPeople: ("暂无人员", "No one assigned")
            case .nodes: ("个节点", "units")
            case .viewStores: ("门店", "Stores")

            case .searchPlaceholderUsers: ("用户名或姓名", "Username or name")
            case .role: ("角色", "Role")
            case .allRoles: ("全部角色", "All roles")
            case .displayName: ("姓名", "Name")
            case .attachedTo: ("所属", "Attached to")
            case .roleAdmin: ("总部管理员", "HQ admin")
            case .roleManager: ("经理", "Manager")
            case .roleSalesperson: ("业代", "Salesperson")
            case .roleDistributor: ("经销商", "Distributor")
            case .roleStore: ("门店", "Store staff")

            case .code: ("编码", "Code")
            case .name: ("名称", "Name")
            case .contact: ("联系人", "Contact")
            case .phone: ("电话", "Phone")
            case .address: ("地址", "Address")
            case .territory: ("经营区域", "Territory")
            case .managingOrg: ("管理组织", "Managing org unit")
            case .storesSupplied: ("供货门店", "Stores supplied")
            case .searchPlaceholderDistributors: ("编码或名称", "Code or name")
            case .showingFirst: ("显示前 50 家", "Showing the first 50")
            case .seeAllStores: ("查看全部门店", "See all stores")
            case .regionsCount: ("个区域", "regions")
            case .basicInfo: ("基本信息", "Details")

            case .searchPlaceholderStores: ("编码、名称或地址", "Code, name or address")
            case .storeType: ("类型", "Type")
            case .allTypes: ("全部类型", "All types")
            case .region: ("区域", "Region")
            case .allProvinces: ("全部省份", "All provinces")
            case .distributor: ("经销商", "Distributor")
            case .salesperson: ("业代", "Salesperson")
            case .location: ("位置", "Location")
            case .noLocation: ("未设置坐标", "No coordinates")
            case .countyCentre: ("区县中心", "County centre")
            case .fromCountyCentre: ("距区县中心", "From the county centre")
            case .radius: ("半径", "Radius")
            case .storeDetail: ("门店详情", "Store")
            case .latitude: ("纬度", "Latitude")
            case .longitude: ("经度", "Longitude")
            case .sameDistributorStores: ("同经销商门店", "Stores of this distributor")
            case .sameSalespersonStores: ("同业代门店", "Stores of this salesperson")
            case .apiJSON: ("API 数据 (JSON)", "API data (JSON)")
            case .regionCode: ("区域代码", "Region code")
            case .filterDistributor: ("经销商", "Distributor")
            case .filterSalesperson: ("业代", "Salesperson")
            case .clearFilter: ("清除", "Clear")
            case .typeSupermarket: ("商超", "Supermarket")
            case .typeConvenience: ("便利店", "Convenience")
            case .typeGrocery: ("食杂店", "Grocery")
            case .typeRestaurant: ("餐饮", "Restaurant")
            case .typeLiquorShop: ("烟酒店", "Liquor shop")
            case .typeWholesale: ("批发部", "Wholesale")
            case .typeOther: ("其他", "Other")

            case .searchPlaceholderProducts: ("名称、SKU 或条码", "Name, SKU or GTIN")
            case .gtin: ("商品条码", "GTIN")
            case .category: ("品类", "Category")
            case .price: ("零售价", "Retail price")
            case .unitsPerCase: ("箱规", "Units per case")
            case .launchDate: ("上市日期", "Launch date")

            case .importLead: ("下载模板、导出数据，或上传 CSV / Excel 批量导入", "Download templates, export data, or upload CSV / Excel files")
            case .templatesAndExports: ("模板与导出", "Templates and exports")
            case .kind: ("数据类型", "Data")
            case .template: ("导入模板", "Template")
            case .export: ("导出数据", "Export")
            case .upload: ("上传导入", "Upload")
            case .file: ("文件", "File")
            case .keepGood: ("跳过有错误的行，只导入正确的行", "Skip rows with errors and import the good ones")
            case .uploadHint:
                (
                    "支持 CSV（UTF-8 或 GBK / GB18030）和 Excel（.xlsx）。默认所有行都正确才会导入。",
                    "CSV (UTF-8 or GBK / GB18030) and Excel (.xlsx). By default nothing is imported unless every row is correct."
                )
            case .uploadButton: ("上传并导入", "Upload and import")
            case .uploading: ("正在上传并校验…", "Uploading and checking…")
            case .uploadFailed: ("导入失败", "Import failed")
            case .chooseFile: ("请选择要上传的文件", "Choose a file to upload")
            case .history: ("导入记录", "Import history")
            case .fileName: ("文件名", "File")
            case .format: ("格式", "Format")
            case .totalRows: ("总行数", "Rows")
            case .importedRows: ("已导入", "Imported")
            case .errorCount: ("错误", "Errors")
            case .importResult: ("导入结果", "Import result")
            case .rowErrors: ("行错误明细", "Row errors")
            case .rowNumber: ("行号", "Row")
            case .column: ("列", "Column")
            case .errorCode: ("错误代码", "Code")
            case .message: ("说明", "Message")
            case .noErrors: ("没有错误，所有行均已导入", "No errors: every row was imported")
            case .importRejected: ("存在错误行，本次未导入任何数据", "Some rows have errors; nothing was imported")
            case .importPartial: ("已跳过错误行，正确的行已导入", "Rows with errors were skipped; the good rows were imported")
            case .noImportPermission: ("你的角色不能导入数据，但可以下载模板和导出数据", "Your role cannot import data, but you can download templates and export")
            case .errorsTruncated: ("仅显示前 1,000 条错误", "Only the first 1,000 errors are shown")
            case .importedBy: ("导入人", "Imported by")
            case .encoding: ("编码", "Encoding")
            case .kindStores: ("门店", "Stores")
            case .kindDistributors: ("经销商", "Distributors")
            case .kindProducts: ("产品", "Products")
            case .kindUsers: ("用户", "Users")

            case .navCampaigns: ("扫码营销", "Campaigns")
            case .navSettlements: ("费用结算", "Settlements")
            case .campaignsLead: ("开盖扫码活动：奖项、预算与门店奖励，实时统计。", "Scan campaigns: prizes, budgets and store rewards, with live figures.")
            case .newCampaign: ("新建活动", "New campaign")
            case .campaignName: ("活动名称", "Name")
            case .campaignWindow: ("活动时间", "When")
            case .statusRunning: ("进行中", "Running")
            case .statusUpcoming: ("未开始", "Upcoming")
            case .statusEnded: ("已结束", "Ended")
            case .draws: ("抽奖次数", "Draws")
            case .participants: ("参与消费者", "Participants")
            case .winners: ("中奖人数", "Winners")
            case .spentOfBudget: ("已用 / 预算", "Spent / budget")
            case .storeRewards: ("门店奖励", "Store rewards")
            case .budgetLeft: ("预算余额", "Budget left")
            case .costPerParticipant: ("每位参与者成本", "Cost per participant")
            case .prizesGiven: ("奖品支出", "Prizes")
            case .pointsGiven: ("发放积分", "Points given")
            case .prizeTiers: ("奖项", "Prize tiers")
            case .tierName: ("奖项名称", "Tier")
            case .prizeKind: ("奖品类型", "Kind")
            case .amountYuan: ("金额（元）", "Amount (yuan)")
            case .pointsLabel: ("积分", "Points")
            case .couponCode: ("优惠券码", "Coupon code")
            case .probabilityPercent: ("中奖概率（%）", "Probability (%)")
            case .stock: ("库存", "Stock")
            case .unlimited: ("不限", "Unlimited")
            case .prizeCash: ("现金红包", "Cash red packet")
            case .prizePoints: ("积分", "Points")
            case .prizeFreeItem: ("再来一瓶", "Free bottle")
            case .prizeCoupon: ("优惠券", "Coupon")
            case .outcomes: ("抽奖结果", "Outcomes")
            case .consumerBudget: ("消费者奖励预算（元）", "Consumer budget (yuan)")
            case .storeBudget: ("门店奖励预算（元）", "Store budget (yuan)")
            case .storeRewardPerScan: ("每次扫码门店奖励（元）", "Store reward per scan (yuan)")
            case .perConsumerPerDay: ("每人每日中奖上限", "Wins per consumer per day")
            case .perDevicePerDay: ("每台设备每日中奖上限", "Wins per device per day")
            case .campaignProducts: ("参与产品", "Products")
            case .campaignRegions: ("活动区域", "Regions")
            case .campaignRegionsHint:
                ("输入省或市的名称，从列表中选择，可选多个；不选为全国。", "Type a province or city and pick it from the list, as many as you like; none for everywhere.")
            case .everywhere: ("全国", "Everywhere")
            case .startsAt: ("开始时间", "Starts")
            case .endsAt: ("结束时间", "Ends")
            case .createCampaign: ("创建并拨付预算", "Create and fund")
            case .saving: ("正在保存…", "Saving…")
            case .saveFailed: ("保存失败", "Could not save")
            case .fixFields: ("请修改以下内容：", "Please fix:")
            case .reviewQueue: ("风控审核", "Risk review")
            case .reviewLead:
                (
                    "风险较高的扫码所中的红包暂缓发放，由总部审核：通过则发放，拒绝则退回活动预算。",
                    "Red packets won by risky scans wait here for HQ: approved ones are paid, rejected ones go back to the campaign's budget."
                )
            case .heldPayouts: ("待审核红包", "Held red packets")
            case .riskScore: ("风险分", "Risk score")
            case .riskReasons: ("风险原因", "Reasons")
            case .amount: ("金额", "Amount")
            case .wallet: ("消费者（化名）", "Consumer (pseudonym)")
            case .approve: ("通过", "Approve")
            case .reject: ("拒绝", "Reject")
            case .reviewApproved: ("已通过，等待发放", "Approved, queued to be paid")
            case .reviewRejected: ("已拒绝，已退回预算", "Rejected, back in the budget")
            case .reviewEmpty: ("没有待审核的红包", "No red packet waits for review")
            case .heldReceipts: ("待审核收货", "Held receipts")
            case .heldReceiptsLead:
                (
                    "非门店本人为门店登记的窜货箱收货，该门店因这些箱内商品获得的奖励暂缓入账，由总部审核：通过则奖励入账，拒绝则退回活动的门店预算。",
                    "Receipts that someone other than the store's staff recorded for a case outside its channel: the store's rewards from those units wait for HQ. Approved, they go to the store; rejected, back to the campaigns' store budgets."
                )
            case .heldReceiptsEmpty: ("没有待审核的收货", "No receipt waits for review")
            case .receivedCase: ("箱（批次 / 箱号）", "Case (batch / number)")
            case .heldRewards: ("暂缓奖励", "Held rewards")
            case .receiptApproved: ("已通过，奖励已入账", "Approved, rewards credited to the store")
            case .receiptRejected: ("已拒绝，奖励已退回", "Rejected, rewards returned")
            case .flagOtherDistributor: ("非本经销商的货", "Another distributor's case")
            case .flagOtherStore: ("配送给其他门店的货", "Delivered to another store")
            case .settlementsLead:
                (
                    "门店因消费者扫码获得的奖励，以及品牌应付的金额（数据范围内）。",
                    "What stores earned from consumer scans, and what the brand owes them (within your reach)."
                )
            case .periodFrom: ("起始日期", "From")
            case .periodTo: ("截止日期", "To")
            case .storeLines: ("门店结算", "Stores")
            case .distributorLines: ("经销商汇总", "Distributors")
            case .rewardedScans: ("奖励扫码数", "Rewarded scans")
            case .rewardsEarned: ("期间奖励", "Earned in period")
            case .amountDue: ("当前应付", "Due now")
            case .storesCount: ("门店数", "Stores")
            case .vouchersRedeemed: ("兑换再来一瓶", "Vouchers redeemed")
            case .vouchersAmount: ("兑换补偿", "Voucher reimbursement")
            case .fenceStores: ("围栏门店", "Fenced stores")
            case .fenceRadius: ("围栏半径（米）", "Fence radius (metres)")
            case .fenceHint: ("门店 ID，逗号分隔：只有在这些门店周边扫码才参与活动。", "Store ids, comma-separated: only scans around these stores take part.")
            case .search: ("搜索", "Search")
            case .filter: ("筛选", "Filter")
            case .reset: ("重置", "Reset")
            case .all: ("全部", "All")
            case .status: ("状态", "Status")
            case .allStatuses: ("全部状态", "All statuses")
            case .active: ("启用", "Active")
            case .inactive: ("停用", "Inactive")
            case .createdAt: ("创建时间", "Created")
            case .updatedAt: ("更新时间", "Updated")
            case .time: ("时间", "Time")
            case .details: ("详情", "Details")
            case .previous: ("上一页", "Previous")
            case .next: ("下一页", "Next")
            case .noResults: ("没有符合条件的记录", "Nothing matches")
            case .stockUnknown: ("未知", "Unknown")
            case .stockRange: ("区间", "range")
            case .scanRateFromCounts: ("盘点校准", "stock counts")
            case .scanRateFromMassBalance: ("进销平衡", "receipts and scans")
            case .scanRateDefault: ("默认值，未测得", "default, not measured")
            case .backToList: ("返回列表", "Back to the list")
            case .none: ("—", "—")
            case .yes: ("是", "Yes")
            case .no: ("否", "No")

            case .errorTitle: ("出错了", "Something went wrong")
            case .notFoundTitle: ("找不到页面", "Not found")
            case .notFoundText: ("页面不存在，或不在你的数据范围内。", "This page does not exist, or it is outside your reach.")
            case .forbiddenTitle: ("没有权限", "Not allowed")
            case .forbiddenText: ("你的角色不能执行此操作。", "Your role may not do this.")
            case .tooLargeText: ("提交的内容太大。", "What you sent is too large.")
            case .serverErrorText: ("服务器暂时出现问题，请稍后再试。", "Something went wrong on our side; please try again.")
            case .badRequestText: ("请求无效。", "The request is not valid.")
            case .tooManyRequestsTitle: ("请求过于频繁", "Too many requests")
            case .tooManyRequestsText: ("请稍等片刻再试。", "Please wait a moment and try again.")
            case .backHome: ("返回概览", "Back to the overview")
            case .storeAlertsLead:
                ("销量太好或太差都是不正常：每条异常都是业代的一项任务。", "Sales too good or too bad are both abnormal: each alert is a task for the salesperson.")
            case .rankingLead:
                (
                    "按覆盖率、拜访、响应时间、转化和辖区增长综合评分，近 30 天。",
                    "Scored on coverage, visits, response time, conversion and territory growth, last 30 days."
                )
            case .storeTier: ("{tier} 类门店", "Tier {tier}")
            case .colon: ("：", ": ")
            case .listSeparator: ("、", ", ")
            case .inParentheses: ("（{text}）", " ({text})")
            case .moreRegions: ("等 {count} 个区域", "and {more} more")
            case .rangeOfTotal: ("第 {from}–{to} 条，共 {total} 条", "{from}–{to} of {total}")
            case .totalCount: ("共 {total} 条", "{total} in all")
            case .whyPeerMedian: ("，同类门店中位 {median}", ", peer median {median}")
            case .whyDormant:
                (
                    "连续 {score} 天没有消费者扫码；此前每周扫码动销约 {baseline}",
                    "No consumer scans for {score} days; it sold about {baseline} scanned units a week before"
                )
            case .whyTooHigh:
                (
                    "近期扫码动销 {observed}，基线 {baseline}{peers}；偏离分 {score}，明显偏高",
                    "{observed} scanned units lately against a baseline of {baseline}{peers}: score {score}, far above normal"
                )
            case .whyTooLow:
                (
                    "近期扫码动销 {observed}，基线 {baseline}{peers}，且仍有库存；偏离分 {score}，明显偏低",
                    "{observed} scanned units lately against a baseline of {baseline}{peers} while stock lasts: score {score}, far below normal"
                )
            case .whyOffPeers:
                (
                    "近四周日均扫码 {observed}，同城同类门店中位 {baseline}；偏离分 {score}",
                    "{observed} scanned units a day over four weeks against {baseline} for the median store of the same city and type: score {score}"
                )
            case .whyOutOfStock:
                (
                    "预估库存至多 {observed}，日均动销 {baseline}：至多够卖 {score} 天",
                    "At most {observed} units left at {baseline} sold a day: {score} days of cover at most"
                )
            case .whySlowMoverNoSales: ("预估库存约 {observed}，近期没有动销", "About {observed} units in stock and no sales lately")
            case .whySlowMover:
                (
                    "预估库存约 {observed}，日均动销 {baseline}：约够卖 {score} 天，积压滞销",
                    "About {observed} units in stock at {baseline} sold a day: about {score} days of cover, too slow"
                )
            case .adviceCoverLeft: ("有在售单品的库存至多够卖 {days} 天", "A SKU on sale has {days} days of stock at most")
            case .adviceTooMuchStock: ("有单品的库存够卖 {days} 天以上：陈列或品鉴能带动动销", "A SKU has {days} or more days of stock: a display or tasting moves it")
            case .adviceFewNewProducts:
                (
                    "新品占其销量 {share}，同类门店为 {peers}，且为 {tier} 级门店",
                    "New products are {share} of its sales against {peers} at its peers, and it is a tier {tier} store"
                )
            case .adviceComeBack: ("{cause}：面向附近消费者的活动能把他们带回来", "{cause}: an activity for consumers nearby brings them back")
            case .adviceGoneQuiet: ("门店已沉寂", "The store has gone quiet")
            case .adviceFellBelowBaseline: ("销量远低于基线", "Sales are far below the baseline")
            case .adviceDeclining: ("销量比前四周下降 {drop}", "Sales fell {drop} from the four weeks before")
            case .adviceBelowPeers: ("销量远低于同类门店", "Sales are far below its peers")
            case .adviceVisitOverdue:
                ("有待处理的异常，上次拜访在 {days} 天前（拜访周期 {cycle} 天）", "Open alerts, last visited {days} days ago (visit cycle {cycle} days)")
            case .adviceNeverVisited: ("有待处理的异常，且从未拜访（拜访周期 {cycle} 天）", "Open alerts and never visited (visit cycle {cycle} days)")
            case .adviceNothingAbnormal: ("没有异常：保持拜访周期和陈列", "Nothing abnormal: keep the visit cycle and the display")
            case .scanChecking: ("正在查验…", "Checking…")
            case .scanFirst: ("正品 · 您是第一位扫码的消费者", "Genuine · you are the first to scan this bottle")
            case .scanRepeat:
                (
                    "此码已被扫描 {n} 次，首次扫码于 {time}{place}。如非本人扫码，请谨防假冒。",
                    "This code has been scanned {n} times, first at {time}{place}. If that was not you, beware of fakes."
                )
            case .scanInactive: ("此码尚未激活，请向门店核实。", "This code has not been activated yet; please check with the store.")
            case .scanVoided: ("此码已作废，请谨防假冒。", "This code was voided; beware of fakes.")
            case .scanFake: ("未查到此码：这不是本品牌的正品码。", "Unknown code: this is not a genuine code of the brand.")
            case .scanStore: ("售出门店", "Sold by")
            case .scanNearby: ("附近门店", "Stores nearby")
            case .scanKm: ("公里", "km")
            case .scanError: ("暂时无法查验，请稍后再试。", "Cannot check right now; please try again.")
            case .scanWon: ("恭喜中奖！", "You won!")
            case .scanCash: ("现金红包 ¥{amount}，将发放到您的微信零钱。", "A cash red packet of ¥{amount}, paid to your WeChat balance.")
            case .scanFreeItem: ("再来一瓶：凭此页面到门店兑换一瓶。", "One more bottle: show this page at a store to redeem it.")
            case .scanPoints: ("{points} 积分已存入您的账户。", "{points} points were added to your account.")
            case .scanCoupon: ("优惠券码：{coupon}", "Coupon code: {coupon}")
            case .scanReview: ("为保障活动公平，该红包需审核后发放。", "To keep the campaign fair, this red packet is paid once it has been reviewed.")
            case .scanLost: ("谢谢参与，下次好运！", "No prize this time. Good luck next time!")
            case .scanAlreadyDrawn: ("此码的奖励已被领取。", "This code's prize was already drawn.")
            case .scanLimitReached: ("今日中奖次数已达上限，明天再来。", "You reached today's limit of prizes; come back tomorrow.")
            case .scanOutOfStock: ("该奖品已发完，谢谢参与。", "This prize is all given out. Thank you for taking part.")
            case .scanBudgetSpent: ("本次活动奖品已发完，谢谢参与。", "This campaign's prizes are all given out. Thank you for taking part.")
            case .scanIdentityNeeded: ("请在微信中打开此页参与抽奖。", "Open this page in WeChat to take part in the draw.")
            case .scanInactiveCode: ("此码未激活，不能参与活动。", "This code is not active and cannot take part.")
            case .scanPageTitle: ("扫码验真", "Check your product")
            case .scanTagline: ("一物一码", "one item, one code")
            case .scanUnknownProduct: ("未知产品", "Unknown product")
            case .scanLot: ("批次 ", "Lot ")
            case .scanCashSignIn:
                ("现金红包 ¥{amount}，用微信登录即可领取到零钱。", "A cash red packet of ¥{amount}: sign in with WeChat to receive it in your WeChat balance.")
            case .scanCashKept:
                (
                    "现金红包 ¥{amount}，已为本机保留，请在微信中打开此页登录领取。",
                    "A cash red packet of ¥{amount}, kept for this phone: open this page in WeChat and sign in to receive it."
                )
            case .scanSignIn: ("微信登录领取", "Sign in with WeChat")
            case .scanSignedIn: ("已登录", "Signed in")
            case .scanMine: ("我的奖品", "My prizes")
            case .meTitle: ("我的", "Me")
            case .meSignedInAs: ("微信用户 {who}", "WeChat user {who}")
            case .meNotSignedIn:
                (
                    "您还没有登录。扫描瓶盖内的码，用微信登录后，您的奖品会显示在这里。",
                    "You are not signed in. Scan the code in a cap and sign in with WeChat; your prizes then show here."
                )
            case .mePoints: ("积分", "Points")
            case .mePrizes: ("现金红包", "Cash red packets")
            case .meNoPrizes: ("还没有现金红包。", "No cash red packets yet.")
            case .meClaimed: ("本机此前赢得的 {count} 个奖品已归入您的账户。", "{count} prizes won earlier on this phone are now yours.")
            case .meSignOut: ("退出登录", "Sign out")
            case .backToProduct: ("返回产品页", "Back to the product")
            case .payoutQueued: ("等待发放", "waiting to be sent")
            case .payoutSending: ("发放中", "being sent")
            case .payoutPaid: ("已到账", "paid")
            case .payoutFailed: ("发放失败，已退回账户", "could not be paid; back in your account")
            case .payoutHeld: ("审核中", "being reviewed")
            case .payoutRejected: ("未通过审核", "not approved")
            case .signInFailedTitle: ("登录未完成", "Sign-in not completed")
            case .signInNotConfigured: ("该品牌尚未开通微信登录。", "This brand has not set up WeChat sign-in.")
            case .signInStateInvalid:
                ("登录已过期，或不是从本页发起的。请返回产品页重新登录。", "This sign-in expired or did not start here. Go back to the product's page and sign in again.")
            case .signInCodeInvalid: ("微信授权无效或已过期，请重新登录。", "WeChat's authorisation is not valid or has expired; please sign in again.")
            case .signInCodeUsed: ("此次微信授权已经使用过，请重新登录。", "This WeChat authorisation was used before; please sign in again.")
            case .signInUnavailable: ("暂时无法连接微信，请稍后再试。", "WeChat cannot be reached right now; please try again later.")
            case .scanCashPhone:
                (
                    "现金红包 ¥{amount} 已存入您的账户，用微信登录即可领取到零钱。",
                    "A cash red packet of ¥{amount} is in your account: sign in with WeChat to receive it in your WeChat balance."
                )
            case .scanPhoneSignIn: ("手机号登录", "Sign in with your phone")
            case .meSignedInPhone: ("手机用户 {who}", "Phone {who}")
            case .meCashWaiting:
                ("¥{amount} 待领取：现金红包只能发到微信零钱，用微信登录即可领取。", "¥{amount} waiting: cash goes only to a WeChat balance; sign in with WeChat to receive it.")
            case .meClaimWithWeChat: ("用微信领取", "Receive with WeChat")
            case .phoneTitle: ("手机号登录", "Sign in with your phone")
            case .phoneLabel: ("手机号", "Mobile number")
            case .phoneSend: ("获取验证码", "Send me a code")
            case .phoneResend: ("重新获取验证码", "Send a new code")
            case .phoneCodeLabel: ("验证码", "Code")
            case .phoneSignIn: ("登录", "Sign in")
            case .phoneSent: ("验证码已发送至 {phone}，5 分钟内有效。", "A code was sent to {phone}; it works for 5 minutes.")
            case .phoneInvalid: ("请输入正确的 11 位手机号。", "Please enter an 11-digit mainland mobile number.")
            case .phoneSentRecently: ("验证码刚刚发送过，请稍后再试。", "A code was sent moments ago; please wait a little.")
            case .phoneSendLimit: ("获取验证码次数过多，请一小时后再试。", "Too many codes were asked for; please try again in an hour.")
            case .phoneLocked: ("验证码错误次数过多，该手机号已暂时锁定，请一小时后再试。", "Too many wrong codes: this number is locked for an hour.")
            case .phoneCodeIncorrect: ("验证码不正确，还可以再试 {count} 次。", "That code is not right; {count} tries left.")
            case .phoneCodeExpired: ("验证码已失效，请重新获取。", "That code has expired; please ask for a new one.")
            case .phoneCodeLocked: ("此验证码错误次数过多，已失效，请重新获取。", "Too many wrong tries: ask for a new code.")
            case .phoneNotConfigured: ("暂未开通手机号登录。", "Phone sign-in is not available.")
            case .phoneMisconfigured: ("短信服务暂时不可用，请稍后再试。", "Text messages cannot be sent right now; please try again later.")
            case .meData: ("我的数据", "My data")
            case .meExport: ("下载我的数据", "Download my data")
            case .meDeleteNote:
                (
                    "删除账户后，您的身份信息将被清除；尚未发出的红包将取消，正在发放的红包会完成发放。此操作无法撤销。",
                    "Deleting your account erases who you are to the brand; red packets not yet sent are cancelled, those being sent complete. This cannot be undone."
                )
            case .meDeleteConfirm: ("我确认删除我的账户", "I confirm: delete my account")
            case .meDelete: ("删除账户", "Delete my account")
            case .meDeletedTitle: ("账户已删除", "Account deleted")
            case .meDeleted:
                (
                    "您的账户已删除：取消了 {cancelled} 个尚未发出的红包，{inflight} 个正在发放的红包完成后也将不再保留您的身份。",
                    "Your account is deleted: {cancelled} red packets not yet sent were cancelled; {inflight} being sent will keep nothing of you once they end."
                )
            case .meDeleteUnconfirmed: ("请先勾选确认，再删除账户。", "Tick the confirmation first, then delete the account.")
            case .meConsents: ("授权管理", "Consents")
            case .consentMarketing: ("接收品牌的营销消息（活动、优惠）", "Marketing messages from the brand (offers, events)")
            case .consentLocation: ("扫码时记录精确位置（关闭后只保留约一公里范围）", "Keep my exact position with my scans (off: only to about a kilometre)")
            case .consentStoreSharing: ("与售出商品的门店共享我的购买记录", "Share my purchases with the store that sold the product")
            case .consentSave: ("保存", "Save")
            case .consentSaved: ("已保存您的授权选择。", "Your choices are saved.")
            case .privacyTitle: ("隐私政策", "Privacy notice")
            case .privacyText:
                (
                    "品牌通过扫码了解产品真伪、流向和门店销售，并向您发放扫码奖励。我们只在您登录后记录您的微信标识或手机号，手机号加密保存；扫码记录以不可逆的代号保存。精确位置保留 90 天，之后只保留约一公里范围。营销消息和与门店共享购买记录须经您单独同意，您可随时在“我的”中撤回、下载您的数据或删除账户。",
                    "The brand uses scans to check that products are genuine, where they went and what stores sold, and to pay scan rewards. Your WeChat identity or phone is kept only once you sign in, the phone encrypted; scan records carry an irreversible pseudonym. Exact positions are kept 90 days, then only to about a kilometre. Marketing messages and sharing your purchases with stores each need your separate consent; on \"Me\" you can withdraw them at any time, download your data or delete your account."
                )
            case .privacyVersion: ("版本 {version}", "Version {version}")
            case .couponsRedeemed: ("核销商城券", "Mall coupons redeemed")
            case .couponsAmount: ("商城券补偿", "Mall coupon reimbursement")
            case .navMall: ("积分商城", "Points mall")
            case .mallLead:
                (
                    "消费者用积分兑换的券和礼品；门店核销后按面值计入其结算。",
                    "Coupons and gifts consumers take with points; a store that redeems one is owed its face value on its statement."
                )
            case .mallTitle: ("积分商城", "Points mall")
            case .mallPrice: ("{points} 积分", "{points} points")
            case .mallLeft: ("剩余 {count} 件", "{count} left")
            case .mallTake: ("兑换", "Redeem")
            case .mallNoItems: ("暂时没有可兑换的商品。", "Nothing to redeem right now.")
            case .mallTaken: ("兑换成功：{item}。到店出示券码即可使用。", "Redeemed: {item}. Show its code at a store to use it.")
            case .mallOutOfStock: ("已兑完。", "Out of stock.")
            case .mallLimitReached: ("每人限兑 {limit} 件，您已兑满。", "You have taken the {limit} each person may.")
            case .mallNotEnoughPoints: ("积分不足。", "Not enough points.")
            case .mallUnavailable: ("该商品现在不能兑换。", "This item can't be redeemed now.")
            case .mallKindCoupon: ("优惠券", "Coupon")
            case .mallKindGift: ("礼品", "Gift")
            case .mallKindVoucher: ("再来一瓶", "Free bottle")
            case .mallFaceValue: ("面值 {amount}", "Worth {amount}")
            case .mallPerPerson: ("每人限兑", "Per person")
            case .mallValidDays: ("券有效天数", "Coupon valid (days)")
            case .mallAvailable: ("兑换时间", "Available")
            case .mallStock: ("库存", "Stock")
            case .mallStockLeft: ("剩余", "Left")
            case .mallPricePoints: ("所需积分", "Price (points)")
            case .mallFaceValueYuan: ("面值（元）", "Face value (yuan)")
            case .mallItemName: ("商品名称", "Item")
            case .mallCreate: ("上架", "List item")
            case .mallCreated: ("已上架。", "Listed.")
            case .mallTakenCount: ("已兑换", "Taken")
            case .meCoupons: ("我的券", "My coupons")
            case .meNoCoupons: ("还没有券。", "No coupons yet.")
            case .couponValid: ("{date} 前有效", "Valid until {date}")
            case .couponUsed: ("已于 {date} 使用", "Used on {date}")
            case .couponExpired: ("已过期", "Expired")
            case .couponShow: ("到店出示此码，由店员扫码核销。", "Show this code at the store; the staff scan it.")
            case .mePointsHistory: ("积分明细", "Points history")
            case .pointsWon: ("扫码获得", "Won by a scan")
            case .pointsClaimed: ("登录领取", "Claimed at sign-in")
            case .pointsSpent: ("积分商城兑换", "Spent in the points mall")
            case .pointsOther: ("积分变动", "Points change")
            case .couponRedeemTitle: ("核销券", "Redeem a coupon")
            case .couponCodeLabel: ("券码", "Coupon code")
            case .couponRedeemButton: ("核销", "Redeem")
            case .couponRedeemHint: ("用手机扫描顾客出示的二维码，或输入券码。", "Scan the customer's QR code with the phone, or type its code.")
            case .couponRedeemedOK: ("已核销：{item}。门店将获补偿 {amount}。", "Redeemed: {item}. The store is owed {amount}.")
            case .couponAlreadyRedeemed: ("此券已于 {date} 核销过。", "This coupon was redeemed on {date}.")
            case .couponExpiredAt: ("此券已于 {date} 过期。", "This coupon expired on {date}.")
            case .couponNotFound: ("没有这个券码。", "No such coupon.")
            case .couponStore: ("核销门店", "Store")
            case .navConsumers: ("消费者", "Consumers")
            case .consumersLead:
                ("每人一份档案：登录身份、扫码、购买门店、奖励与授权。", "One profile per person: sign-in identities, scans, the stores they buy from, rewards and consents.")
            case .consumerSearchPlaceholder: ("手机号或 openid", "Phone number or openid")
            case .consumer: ("消费者", "Consumer")
            case .consumerStage: ("阶段", "Stage")
            case .consumerScans: ("扫码次数", "Scans")
            case .firstScan: ("首次扫码", "First scan")
            case .lastScan: ("最近扫码", "Last scan")
            case .boughtAt: ("购买门店", "Store")
            case .stageNew: ("新客", "New")
            case .stageActive: ("活跃", "Active")
            case .stageLoyal: ("忠诚", "Loyal")
            case .stageDormant: ("沉睡", "Dormant")
            case .stageLost: ("流失", "Lost")
            case .allStages: ("全部阶段", "All stages")
            case .verifiedConsumer: ("已验证", "Verified")
            case .unverifiedConsumer: ("未验证", "Unverified")
            case .moreThan: ("超过 {count} 人", "More than {count}")
            case .identities: ("身份", "Identities")
            case .identityOpenid: ("微信 openid", "WeChat openid")
            case .identityUnionid: ("微信 unionid", "WeChat unionid")
            case .identityPhone: ("手机号", "Phone")
            case .identityScanner: ("扫码身份（未验证）", "Scan identity (unproven)")
            case .firstSeen: ("首次出现", "First seen")
            case .productsScanned: ("扫码商品", "Products scanned")
            case .storesBoughtFrom: ("购买门店", "Stores bought from")
            case .cashWon: ("获得红包", "Cash won")
            case .pointsWonLabel: ("获得积分", "Points won")
            case .pointsBalanceLabel: ("积分余额", "Points balance")
            case .couponsTaken: ("兑换的券", "Coupons taken")
            case .consentsTitle: ("授权", "Consents")
            case .consentGiven: ("同意", "Given")
            case .consentWithdrawn: ("已撤回", "Withdrawn")
            case .consentNone: ("未选择", "Not chosen")
            case .timeline: ("动态", "Timeline")
            case .eventScan: ("扫码", "Scan")
            case .eventRewardCash: ("获得红包", "Won cash")
            case .eventRewardPoints: ("获得积分", "Won points")
            case .eventCoupon: ("兑换券", "Took a coupon")
            case .eventCouponRedeemed: ("到店核销", "Redeemed at a store")
            case .eventConsent: ("授权变更", "Consent changed")
            case .eventMerge: ("档案合并", "Profiles merged")
            case .mergesTitle: ("合并记录", "Merges")
            case .evidenceSameUnionid: ("同一微信 unionid", "Same WeChat unionid")
            case .evidenceSamePhone: ("同一手机号", "Same phone")
            case .evidencePhoneThenWeChat: ("同一浏览器先后验证手机号和微信", "Phone, then WeChat, in one browser")
            case .evidenceManual: ("总部人工合并", "Merged by HQ")
            case .mergedProfile: ("被合并档案", "Merged profile")
            case .keptProfile: ("保留档案", "Kept profile")
            case .undoMerge: ("撤销合并", "Undo merge")
            case .mergeUndone: ("已撤销", "Undone")
            case .mergedIntoNotice: ("此档案已合并到 #{id}。", "This profile was merged into #{id}.")
            case .mergeInto: ("合并到档案", "Merge into profile")
            case .mergeIntoHint: ("档案编号", "Profile number")
            case .mergeDone: ("已完成。", "Done.")
            case .navConsumerTags: ("消费者标签", "Consumer tags")
            case .tagsLead:
                (
                    "规则标签随扫码、中奖和积分兑换实时贴上或摘下；手工标签由总部在消费者档案上贴。",
                    "Rule tags go on and come off as scans, rewards and mall takes arrive; manual tags are put on by HQ on a consumer's profile."
                )
            case .tagName: ("标签名称", "Tag")
            case .tagDescription: ("说明", "Description")
            case .tagOwner: ("创建人", "Owner")
            case .tagRule: ("规则", "Rule")
            case .tagMembers: ("人数", "Consumers")
            case .tagManual: ("手工标签", "Manual tag")
            case .tagComputing: ("正在为已有消费者计算", "Being applied to existing consumers")
            case .tagCreate: ("新建标签", "New tag")
            case .tagCreated: ("标签已创建。", "Tag created.")
            case .tagDelete: ("删除", "Delete")
            case .tagDeleted: ("标签已删除。", "Tag deleted.")
            case .tagsTitle: ("标签", "Tags")
            case .allTags: ("全部标签", "All tags")
            case .addTag: ("贴标签", "Add tag")
            case .removeTag: ("摘除", "Remove")
            case .tagByRule: ("按规则", "by rule")
            case .noTags: ("暂无标签", "No tags")
            case .tagExists: ("同名标签已存在。", "A tag of that name exists.")
            case .tagKindManual: ("手工（无规则）", "Manual (no rule)")
            case .tagKindScans: ("扫码次数", "Scans")
            case .tagKindIdle: ("沉睡", "Idle")
            case .tagKindNewcomer: ("新客", "Newcomer")
            case .tagKindRewards: ("中奖次数", "Rewards won")
            case .tagKindPointsSpent: ("积分消费", "Points spent")
            case .ruleScansIn: ("近 {days} 天扫码至少 {n} 次", "At least {n} scans in the last {days} days")
            case .ruleScansAll: ("累计扫码至少 {n} 次", "At least {n} scans in all")
            case .ruleIdle: ("扫过码，且已 {days} 天未扫", "Scanned once, then none for {days} days")
            case .ruleNewcomer: ("首次扫码在近 {days} 天内", "First scan within the last {days} days")
            case .ruleRewardsIn: ("近 {days} 天中奖至少 {n} 次", "At least {n} rewards won in the last {days} days")
            case .ruleRewardsAll: ("累计中奖至少 {n} 次", "At least {n} rewards won in all")
            case .rulePointsSpent: ("积分商城累计消费至少 {n} 积分", "At least {n} points spent in the mall")
            case .ruleOfProduct: ("产品：{name}", "product: {name}")
            case .ruleAtStore: ("门店：{name}", "store: {name}")
            case .ruleInRegion: ("地区：{name}", "region: {name}")
            case .tagAtLeast: ("至少（次数或积分）", "At least (count or points)")
            case .tagDays: ("天数", "Days")
            case .tagStoreNumber: ("门店编号", "Store number")
            case .tagAnyProduct: ("任意产品", "Any product")
            case .tagAnyRegion: ("任意地区", "Any region")
            case .errRequired: ("必填", "required")
            case .errTooLong: ("太长", "too long")
            case .errOutOfRange: ("超出允许范围", "out of range")
            case .errInvalid: ("无效", "invalid")
            case .navSegments: ("人群", "Segments")
            case .segmentsLead:
                (
                    "人群是标签、属性和时间窗内行为的组合，人数按你管辖的范围实时计算。",
                    "A segment combines tags, attributes and what consumers did in a window; its count is live, within your part of the org."
                )
            case .segmentName: ("人群名称", "Segment")
            case .segmentRule: ("条件", "Conditions")
            case .segmentCount: ("人数", "Consumers")
            case .segmentCreate: ("新建人群", "New segment")
            case .segmentCreated: ("人群已保存。", "Segment saved.")
            case .segmentDeleted: ("人群已删除。", "Segment deleted.")
            case .noSegments: ("暂无人群", "No segments")
            case .segmentExists: ("同名人群已存在。", "A segment of that name exists.")
            case .segmentMatchAll: ("满足以下全部条件", "All of these")
            case .segmentMatchAny: ("满足以下任一条件", "Any of these")
            case .segmentInclude: ("是", "Is")
            case .segmentExclude: ("不是", "Is not")
            case .condNone: ("（不用此行）", "(row not used)")
            case .condTag: ("带标签", "Carries tag")
            case .condStage: ("生命周期阶段", "Lifecycle stage")
            case .condRegion: ("成交门店所在地区", "Their store's region")
            case .condStore: ("成交门店编号", "Their store's number")
            case .condVerified: ("已验证身份", "Signed in")
            case .condScanned: ("时间窗内扫码次数", "Scans in a window")
            case .condRedeemed: ("时间窗内核销过商城优惠券", "Redeemed a mall coupon in a window")
            case .liveCount: ("当前人数：{n}", "Now: {n} consumers")
            case .liveCountIncomplete: ("条件未填完整", "Conditions incomplete")
            case .segmentMembers: ("成员", "Members")
            case .segmentHowTo:
                (
                    "每行一个条件：选类型后填写右侧对应的项；扫码次数和核销须填天数（最多 365 天）。只有“不是”的人群无法保存。",
                    "One condition a row: pick its kind, then fill in the fields it uses; scans and coupons need days (365 at most). A segment made only of “is not” cannot be saved."
                )
            case .wordsTag: ("带标签「{name}」", "carries “{name}”")
            case .wordsStage: ("阶段为{name}", "stage is {name}")
            case .wordsRegion: ("成交门店在{name}", "their store is in {name}")
            case .wordsStore: ("成交门店为{name}", "their store is {name}")
            case .wordsVerified: ("已验证身份", "signed in")
            case .wordsRedeemed: ("近 {days} 天核销过商城优惠券", "redeemed a mall coupon in the last {days} days")
            case .wordsNot: ("非：", "not ")
            case .wordsAnd: ("，且", "; and ")
            case .wordsOr: ("，或", "; or ")
            case .segmentCondition: ("第 {n} 个条件", "Condition {n}")
            case .segmentUnbounded: ("至少要有一个“是”的条件", "At least one condition must be “is”")
            case .segmentTooDeep: ("条件嵌套过深", "Conditions nest too deep")
            case .segmentBadReference: ("条件引用了不存在的标签、门店或产品", "A condition names a tag, store or product the brand does not have")
            case .segmentExport: ("导出成员", "Export members")
            case .navLifecycle: ("生命周期", "Lifecycle")
            case .lifecycleLead:
                (
                    "获取、激活、留存、变现、推荐五个阶段。漏斗看本期首次扫码的消费者此后走到了哪一步；周留存看每周新客此后每周是否再扫码。",
                    "AARRR: acquired, activated, retained, revenue, referral. The funnel follows the consumers who first scanned in the period; weekly retention shows whether each week's newcomers scanned again in the weeks since."
                )
            case .lifecycleStage: ("阶段", "Stage")
            case .stageAcquired: ("获取", "Acquired")
            case .stageActivated: ("激活", "Activated")
            case .stageRetained: ("留存", "Retained")
            case .stageRevenue: ("变现", "Revenue")
            case .stageReferral: ("推荐", "Referral")
            case .causeFirstScan: ("首次扫码", "First scan")
            case .causeSignedIn: ("登录", "Signed in")
            case .causeFirstReward: ("首次中奖", "First reward")
            case .causeRepeatScan: ("再次扫码", "Scanned again")
            case .causeRedeemed: ("门店核销商城券", "Redeemed a mall coupon at a store")
            case .causePointsSpent: ("积分兑换", "Spent points")
            case .causeReferredScan: ("邀请的人扫码", "Someone they invited scanned")
            case .lifecycleFunnel: ("生命周期漏斗", "AARRR funnel")
            case .funnelReached: ("本期新客中已到达", "Of the period's newcomers, reached")
            case .funnelConversion: ("由上一阶段转化", "Conversion from the stage before")
            case .funnelMoved: ("本期进入", "Reached in the period")
            case .cohortRetention: ("周留存（按首次扫码周）", "Weekly retention by week of first scan")
            case .cohortWeek: ("首扫周（周一）", "First-scan week (Monday)")
            case .cohortConsumers: ("人数", "Consumers")
            case .weekN: ("第 {n} 周", "Week {n}")
            case .lifecycleSettings: ("阶段规则", "What counts for each stage")
            case .lifecycleHowTo:
                (
                    "获取：首次扫到正品码。推荐：其邀请的人完成首次扫码。阶段只前进；改规则只影响此后的变化。",
                    "Acquired: a first scan of a genuine code. Referral: someone they invited scanned. Stages only go forward; a change of rules applies from now on."
                )
            case .retainedWithinDays: ("留存：距上次扫码几天内再扫", "Retained: scans again within days")
            case .activateOnSignIn: ("激活：登录", "Activated: signs in")
            case .activateOnReward: ("激活：首次中奖", "Activated: wins a first reward")
            case .revenueOnRedemption: ("变现：门店核销商城券", "Revenue: redeems a mall coupon at a store")
            case .revenueOnPointsSpent: ("变现：积分兑换", "Revenue: spends points")
            case .settingsSaved: ("已保存", "Saved")
            case .orgUnit: ("组织", "Org unit")
            case .wholeReach: ("全部", "All within my reach")
            case .errUnreachable: ("至少选一个条件", "pick at least one")
            case .lifecycleMoves: ("生命周期", "Lifecycle")
            case .noLifecycleMoves: ("尚未首次扫码", "No first scan yet")
            case .inviteTitle: ("好友邀请", "An invitation")
            case .inviteUnknown: ("这个邀请链接无效。", "This invitation link is not valid.")
            case .inviteLanding:
                (
                    "你的好友邀请你验证正品：扫描瓶盖内的码并登录，就会记下是谁邀请了你（30 天内有效）。",
                    "A friend invited you to check your product is genuine: scan the code inside the cap and sign in, and who invited you is remembered (for 30 days)."
                )
            case .inviteFriends: ("邀请好友扫码：分享你的链接", "Invite friends to scan: share your link")
            case .navKOCs: ("关键意见消费者", "KOCs")
            case .kocsLead:
                (
                    "邀请过新客扫码的消费者：新客数、新客复购率、二度传播人数和得分；新客不少于 3 人且得分不低于 5 即为关键意见消费者。疑似刷邀请的记录待总部审核。",
                    "Consumers who brought newcomers who scanned: newcomers, their repeat rate, reach two steps out and score; 3 newcomers or more and a score of 5 or more make a KOC. Referrals that look farmed wait for HQ's review."
                )
            case .kocStore: ("成交门店", "Store")
            case .kocInvited: ("邀请新客", "Newcomers")
            case .kocRepeatRate: ("新客复购率", "Newcomers' repeat rate")
            case .kocSecondHop: ("二度传播", "Reach two steps out")
            case .kocScore: ("得分", "Score")
            case .heldReferrals: ("待审核的邀请", "Referrals held for review")
            case .referrerColumn: ("邀请人", "Referrer")
            case .newcomerColumn: ("新客", "Newcomer")
            case .holdReasons: ("原因", "Why")
            case .referralCount: ("计入", "Count it")
            case .referralReject: ("驳回", "Reject")
            case .holdSelfReferral: ("自己邀请自己", "Self-referral")
            case .holdSharedDevice: ("同一手机", "Shared phone")
            case .holdIPCluster: ("同一网络集中", "One network address")
            case .holdRing: ("互相邀请", "A ring")
            case .kocDensity: ("关键意见消费者密度：{level}", "KOC density: {level}")
            case .kocCount: ("共 {count} 人", "{count} KOCs")
            case .kocLine: ("邀请 {invited} 人 · 得分 {score}", "brought {invited} · score {score}")
            case .kocDensityNone: ("无", "none")
            case .kocDensityLow: ("低", "low")
            case .kocDensityMedium: ("中", "medium")
            case .kocDensityHigh: ("高", "high")
            case .kocBadge: ("关键意见消费者", "KOC")
            case .referralRewards: ("邀请奖励", "Referral rewards")
            case .referralRewardsNow:
                (
                    "每计入一位新客，邀请人得 {points} 积分；预算剩余 {left} 积分，用完即停。",
                    "Each counted newcomer earns the referrer {points} points; {left} points of budget left, and none paid once it is spent."
                )
            case .referralRewardPoints: ("每位新客奖励积分", "Points per newcomer")
            case .referralAddBudget: ("追加预算积分", "Points to add to the budget")
            case .triggerStoreVisit: ("在门店扫码", "Scans at a store")
            case .triggerDate: ("到某一天", "A day comes")
            case .triggerDay: ("日期", "Day")
            case .stepNextRow: ("下一个用到的步骤", "The next step used")
            case .navJourneys: ("自动化旅程", "Journeys")
            case .journeysLead:
                (
                    "消费者满足进入条件后依次经过等待、分支和动作；对照组不收到任何动作，用来衡量旅程带来的提升。",
                    "Consumers who meet the entry trigger move through waits, branches and actions; a holdout group gets no action, so each journey shows the uplift it brings."
                )
            case .journeyNew: ("新建旅程", "New journey")
            case .journeyEdit: ("编辑旅程", "Edit journey")
            case .journeyName: ("名称", "Name")
            case .journeyStatus: ("状态", "Status")
            case .journeyDraft: ("草稿", "Draft")
            case .journeyRunning: ("运行中", "Running")
            case .journeyPaused: ("已暂停", "Paused")
            case .journeyEnded: ("已结束", "Ended")
            case .journeyTrigger: ("进入条件", "Entry trigger")
            case .triggerStage: ("到达生命周期阶段", "Reaches a lifecycle stage")
            case .triggerInactive: ("连续多少天未扫码", "Has not scanned for days")
            case .triggerSegment: ("属于人群", "Is in a segment")
            case .triggerDays: ("天数", "Days")
            case .journeySteps: ("步骤", "Steps")
            case .stepN: ("第 {n} 步", "Step {n}")
            case .stepUnused: ("（不用）", "(unused)")
            case .stepWait: ("等待", "Wait")
            case .stepBranch: ("分支", "Branch")
            case .stepPoints: ("奖励积分", "Award points")
            case .stepMessage: ("发送营销消息", "Send a marketing message")
            case .stepCoupon: ("发放优惠券", "Give a coupon")
            case .campaignAudience: ("目标人群", "Audience")
            case .audienceEveryone: ("所有消费者", "Every consumer")
            case .audienceHint: ("只有该人群的成员扫码参与抽奖", "Only the segment's members draw when they scan")
            case .stepTask: ("给门店业代派回访任务", "Task the store's salesperson")
            case .stepNotify: ("通知门店", "Notify the store")
            case .stepChannel: ("渠道", "Channel")
            case .channelSMS: ("短信", "SMS")
            case .channelWeChat: ("微信订阅通知", "WeChat notice")
            case .stepItem: ("商城券品", "Mall item")
            case .stepNote: ("任务或通知内容", "Task or notice text")
            case .outcomeNoneLeft: ("券已发完", "None left")
            case .outcomeNoStore: ("无所属门店", "No store")
            case .followUp: ("顾客回访", "Consumer follow-up")
            case .whyFollowUp: ("旅程派发：{text}", "From a journey: {text}")
            case .navNotices: ("门店通知", "Store notices")
            case .noticesLead: ("品牌旅程留给门店的通知：哪些顾客值得关照。", "Notices the brand's journeys leave for stores: which consumers to look after.")
            case .noNotices: ("暂无通知", "No notices")
            case .noticeStore: ("门店", "Store")
            case .noticeAt: ("时间", "When")
            case .noticeMarkRead: ("标为已读", "Mark read")
            case .dashboardTitle: ("经营看板", "Dashboard")
            case .dashboardLead:
                (
                    "你负责范围内的扫码、动销、新客、费用与预警，可逐级下钻",
                    "Scans, sell-through, new customers, spend and alerts within your reach, drilling down level by level"
                )
            case .presetToday: ("今天", "Today")
            case .presetYesterday: ("昨天", "Yesterday")
            case .presetLast7: ("近 7 天", "Last 7 days")
            case .presetLast30: ("近 30 天", "Last 30 days")
            case .presetThisMonth: ("本月", "This month")
            case .presetLastMonth: ("上月", "Last month")
            case .presetLast90: ("近 90 天", "Last 90 days")
            case .periodShow: ("查看", "Show")
            case .metricScans: ("消费者扫码", "Consumer scans")
            case .metricUnitsSold: ("动销件数", "Units sold")
            case .metricSales: ("动销金额", "Sales value")
            case .metricActiveStores: ("日均动销门店", "Active stores a day")
            case .metricNewCustomers: ("门店新客", "New store customers")
            case .metricReward: ("奖励支出", "Reward spend")
            case .metricCostPerNew: ("单个新客成本", "Cost per new customer")
            case .metricDiversion: ("窜货预警", "Diversion alerts")
            case .metricCounterfeit: ("防伪预警", "Counterfeit alerts")
            case .metricStoreAlerts: ("门店异常", "Store alerts")
            case .monthOnMonth: ("环比", "vs previous")
            case .yearOnYear: ("同比", "vs last year")
            case .dashboardTrend: ("每日趋势", "Daily trend")
            case .dashboardChildren: ("下级单位", "Units below")
            case .dashboardUnit: ("单位", "Unit")
            case .dashboardUnassigned: ("未归属下级单位", "Not under a unit below")
            case .dashboardWholeBrand: ("全品牌", "Whole brand")
            case .dashboardMap: ("地域分布", "By place")
            case .dashboardMapNote: ("颜色越深数值越大，位置为行政区中心", "Darker is more; each place sits at its centre")
            case .dashboardComparedWith: ("环比对比 {previous}，同比对比 {lastYear}", "Compared with {previous} and, a year earlier, {lastYear}")
            case .dashboardUnitsPrevious: ("上期动销件数", "Units sold, previous period")
            case .dashboardUnitsLastYear: ("去年同期动销件数", "Units sold, a year earlier")
            case .dashboardNoActivity: ("所选期间没有数据", "Nothing happened in this period")
            case .dashboardExportCSV: ("导出 CSV", "Export CSV")
            case .dashboardExportXLSX: ("导出 Excel", "Export Excel")
            case .dashboardMyRank: ("我的排名", "My rank")
            case .dashboardMyTasks: ("我的待办任务", "My open tasks")
            case .dashboardMasterData: ("基础数据", "Master data")
            case .dashboardStoreLevel: ("门店", "Store")
            case .deskTitle: ("门店工作台", "Store desk")
            case .deskLead: ("扫箱码收货，扫瓶盖码兑奖", "Scan a case's code to receive it, a cap's code to redeem its voucher")
            case .deskReceive: ("收货", "Receive a case")
            case .deskReceiveHint: ("扫描箱子上的箱码（B 码），箱内每一件都归属本店", "Scan the code on the case (its B code): every unit in it becomes this store's")
            case .deskCaseCode: ("箱码", "Case code")
            case .deskCapCode: ("瓶盖码", "Cap code")
            case .deskTypeOrScan: ("扫码或手动输入", "Scan or type")
            case .deskCamera: ("扫码", "Camera")
            case .deskReceiveButton: ("确认收货", "Receive")
            case .deskVoucher: ("再来一瓶兑奖", "Redeem a free-item voucher")
            case .deskVoucherHint: ("扫描消费者中奖瓶盖内的码，兑奖后品牌方与本店结算", "Scan the code inside the winning cap; the brand then owes the store its amount")
            case .deskRedeemButton: ("确认兑奖", "Redeem")
            case .deskCoupons: ("积分券核销", "Points-mall coupons")
            case .deskReceived: ("已收货 {cases} 箱", "Received {cases} case(s)")
            case .deskRedeemed: ("已兑奖：{campaign} · {tier}", "Redeemed: {campaign} · {tier}")
            case .deskDelivered: ("已出库到店 {cases} 箱", "Delivered {cases} case(s)")
            case .deskDeliveries: ("出库到店", "Deliveries to stores")
            case .deskDeliveriesLead: ("选择门店，扫描要送去的箱码", "Choose the store, then scan each case you deliver")
            case .deskToStore: ("送往门店", "To store")
            case .deskDeliverButton: ("确认出库", "Deliver")
            case .deskNoStores: ("你的范围内没有门店", "No store within your reach")
            case .deskFailed: ("操作失败，请重试", "That did not work; try again")
            case .deskInvalidCode: ("不是本品牌的有效码：可能是假码、输错或不完整", "Not a code of this brand: forged, mistyped or cut short")
            case .deskNoVoucher: ("这个码没有中再来一瓶", "This code won no free-item voucher")
            case .deskAlreadyRedeemed: ("这张奖券已经兑过了", "This voucher was redeemed before")
            case .deskAlreadyReceived: ("这箱货已经收过了", "This case was received before")
            case .deskAlreadyDelivered: ("这箱货已经出库到店了", "This case was delivered before")
            case .deskNotShipped: ("这箱货还没有从品牌发出", "This case was never shipped")
            case .deskShippedElsewhere: ("这箱货发给了别的经销商", "This case was shipped to another distributor")
            case .deskNotYours: ("这箱货不在你的手上（没有发给你的经销商或送到你的店）", "This case is not in your hands (not shipped to your distributor or delivered to you)")
            case .deskNotFound: ("找不到这家门店或这个码", "No such store or code")
            case .deskForbidden: ("你的角色不能做这件事", "Your role cannot do this")
            case .deskRetry: ("数据刚刚变化，请重试", "Things changed meanwhile; try again")
            case .deskCameraOff: ("无法打开摄像头，请手动输入", "The camera cannot be opened; type the code")
            case .campaignChange: ("修改活动", "Change the campaign")
            case .campaignChangeHint:
                (
                    "可改名称、结束时间和每日中奖上限；产品、地区、奖项和预算按创建时不变",
                    "Its name, end and daily limits can change; products, regions, prizes and budgets stay as funded"
                )
            case .callStore: ("打电话", "Call")
            case .supplyCase: ("箱", "Case")
            case .supplyAt: ("出库时间", "Delivered")
            case .supplyCaseOf: ("批次 #{batch} 第 {case} 箱", "Batch #{batch}, case {case}")
            case .navSupply: ("供货门店", "Stores I supply")
            case .supplyLead:
                ("每家门店的到货与动销（扫码）；到货多、动销少的门店在压货，排在前面", "Each store's units received and sold (scanned); stores building up stock come first")
            case .supplyReceived: ("到货（瓶）", "Received (units)")
            case .supplySold: ("动销（瓶）", "Sold (units)")
            case .supplySellThrough: ("动销率", "Sell-through")
            case .supplyBuildUp: ("新增库存（瓶）", "Stock built up (units)")
            case .supplyStores: ("门店到货与动销", "Received and sold by store")
            case .supplyDeliveries: ("最近出库到店", "Latest deliveries")
            case .supplyNoDeliveries: ("还没有出库到店记录", "No delivery recorded yet")
            case .supplyStore: ("门店", "Store")
            case .walletTitle: ("本月钱包", "This month's wallet")
            case .walletRewards: ("扫码奖励", "Scan rewards")
            case .walletScans: ("{count} 次扫码", "{count} scans")
            case .walletCount: ("{count} 张", "{count} redeemed")
            case .walletVouchers: ("再来一瓶兑奖", "Free-item vouchers")
            case .walletCoupons: ("积分券核销", "Points coupons")
            case .walletDue: ("品牌应付（未结算）", "Owed by the brand (unsettled)")
            case .walletStatement: ("查看对账单", "See the statement")
            case .campaignRegionsPick: ("省或市的名称", "A province or city")
            case .addTier: ("添加奖项", "Add a prize tier")
            case .removeRegion: ("移除此地区", "Remove this region")
            case .campaignPause: ("暂停活动", "Pause campaign")
            case .campaignResume: ("恢复活动", "Resume campaign")
            case .statusPaused: ("已暂停", "Paused")
            case .payoutUnknown: ("结果待确认", "outcome being checked")
            case .payoutBacklog: ("红包发放", "Red packet payouts")
            case .payoutCount: ("笔数", "Payouts")
            case .noPayouts: ("还没有红包要发", "No red packet to pay yet")
            case .reviewHeld: ("去审核", "Review them")
            case .navCodes: ("码管理", "Codes")
            case .codesLead:
                ("生成码批次，下载印刷文件，按箱激活、作废，发货给经销商", "Create code batches, download print files, activate or void cases, ship them to distributors")
            case .codesNewBatch: ("新建码批次", "New code batch")
            case .codesLot: ("生产批号", "Lot")
            case .codesQuantity: ("数量（瓶）", "Quantity (units)")
            case .codesCases: ("箱数", "Cases")
            case .codesUnitsPerCaseHint: ("不填则按产品的每箱瓶数", "Empty: the product's own case size")
            case .codesCreate: ("生成", "Create")
            case .codesNoBatches: ("还没有码批次：先新建一个", "No code batch yet: create one first")
            case .codesNoProducts: ("先在产品页添加产品", "Add a product first")
            case .codesBatch: ("码批次", "Code batch")
            case .codesDownloads: ("印刷文件", "Print files")
            case .codesDownloadCSV: ("CSV 压缩包（短链接）", "CSV zip (short links)")
            case .codesDownloadGS1: ("CSV 压缩包（GS1 数字链接）", "CSV zip (GS1 Digital Link)")
            case .codesDownloadTXT: ("TXT 压缩包（每行一个网址）", "TXT zip (one URL a line)")
            case .codesQRSheetUnits: ("瓶码二维码样张（前 20 个）", "QR sheet of the first 20 unit codes")
            case .codesQRSheetCases: ("箱码二维码样张（前 20 箱）", "QR sheet of the first 20 case codes")
            case .codesRangeAction: ("激活或作废箱码", "Activate or void cases")
            case .codesRangeHint:
                ("箱号 0–{last}；不填则为整批。后一次操作覆盖前一次", "Cases 0–{last}; empty means the whole batch. A later action overrides an earlier one")
            case .codesFirstCase: ("起始箱号", "First case")
            case .codesLastCase: ("结束箱号", "Last case")
            case .codesAction: ("操作", "Action")
            case .codesActivate: ("激活", "Activate")
            case .codesVoid: ("作废", "Void")
            case .codesApply: ("提交", "Apply")
            case .codesShip: ("发货给经销商", "Ship to a distributor")
            case .codesShipHint: ("只能发已激活的箱，每箱只发一次；要么全部发出，要么一箱不发", "Only activated cases ship, each once; all of the range or none")
            case .codesShipButton: ("确认发货", "Ship")
            case .codesNoDistributors: ("你的范围内没有在营经销商", "No active distributor within your reach")
            case .codesHistory: ("激活与作废记录", "Activations and voidings")
            case .codesNoHistory: ("尚未激活：印好的码被扫也不算销量", "Not activated yet: scans of printed codes do not count as sales")
            case .codesCaseRuns: ("箱码去向", "Where the cases are")
            case .codesCaseRunsHint: ("连续且情况相同的箱合为一行", "Consecutive cases with the same facts make one line")
            case .codesCaseRange: ("箱号", "Cases")
            case .codesShippedTo: ("发往经销商", "Shipped to")
            case .codesHeldBy: ("所在门店", "At store")
            case .codesNotShipped: ("未发货", "Not shipped")
            case .codeInactive: ("未激活", "Not activated")
            case .codeActive: ("已激活", "Active")
            case .codeVoided: ("已作废", "Voided")
            case .codesDone: ("已完成", "Done")
            case .codesEarlierCases: ("前面的箱", "Earlier cases")
            case .codesLaterCases: ("后面的箱", "Later cases")
            case .overdue: ("已逾期", "Overdue")
            case .deskVoided: ("这箱码已作废", "This case is voided")
            case .openMap: ("地图导航", "Map")
            case .productAtRisk: ("涉及产品", "Product")
            case .dashboardSortBy: ("按此排序", "Sort by this")
            case .noticeRead: ("已读", "Read")
            case .stepExit: ("结束", "Exit")
            case .stepHours: ("小时", "Hours")
            case .stepThen: ("然后到", "Then to")
            case .stepOtherwise: ("否则到", "Otherwise to")
            case .stepEndJourney: ("离开旅程", "Leave the journey")
            case .stepText: ("短信内容", "Message text")
            case .stepCondition: ("条件", "Condition")
            case .condSegmentMember: ("属于人群", "In a segment")
            case .condScannedSinceEntry: ("进入后又扫码", "Scanned since entering")
            case .journeyPoints: ("积分", "Points")
            case .journeyHoldout: ("对照组比例（%）", "Holdout (%)")
            case .journeyWeeklyCap: ("每人每周最多短信", "Messages per consumer per week at most")
            case .journeyQuietFrom: ("免打扰开始（时）", "Quiet from (hour)")
            case .journeyQuietTo: ("免打扰结束（时）", "Quiet until (hour)")
            case .journeyGoalDays: ("转化：进入后几天内再次扫码", "Conversion: a scan within days of entering")
            case .journeyBudget: ("积分预算", "Points budget")
            case .journeyRules: ("规则", "Rules")
            case .journeySave: ("保存草稿", "Save draft")
            case .journeySaveChanges: ("保存修改", "Save changes")
            case .journeyStart: ("启动", "Start")
            case .journeyPause: ("暂停", "Pause")
            case .journeyEnd: ("结束旅程", "End the journey")
            case .journeyCreated: ("旅程已保存为草稿", "The journey is saved as a draft")
            case .journeyEntered: ("进入人数", "Entered")
            case .journeyHeldOut: ("对照组人数", "Held out")
            case .journeyActive: ("仍在旅程中", "Still on it")
            case .journeyConversion: ("旅程组转化率", "Journey group conversion")
            case .journeyHoldoutConversion: ("对照组转化率", "Holdout conversion")
            case .journeyUplift: ("提升", "Uplift")
            case .journeyBudgetLeft: ("预算剩余积分", "Budget points left")
            case .journeyOutcomes: ("各步骤结果", "What each step did")
            case .outcomeDone: ("已完成", "Done")
            case .outcomeSending: ("发送中", "Sending")
            case .outcomeUnknown: ("结果未知（不重发）", "Unknown (not resent)")
            case .outcomeNoConsent: ("未同意营销", "No marketing consent")
            case .outcomeCapped: ("超过频次", "Over the cap")
            case .outcomeFailed: ("失败", "Failed")
            case .journeyCycle: ("步骤不能回到之前的步骤", "A step cannot lead back to an earlier one")
            case .journeyNoLinks: ("营销短信不能带链接", "A marketing SMS carries no links")
            case .journeyExists: ("已有同名旅程", "A journey of that name exists")
            case .journeyNotEditable: ("先暂停旅程再修改；已启动的旅程只能增加步骤", "Pause the journey before changing it; a started one may only add steps")
            case .journeyHowTo:
                (
                    "每一步写明做什么、然后到哪一步；分支满足条件到“然后到”，否则到“否则到”。短信只发给同意营销的消费者，并遵守免打扰和每周上限。",
                    "Each step says what it does and where to go next; a branch goes to “then” when its condition holds, else to “otherwise”. Messages go only to consumers who agreed to marketing, outside quiet hours and within the weekly cap."
                )
            case .noJourneys: ("还没有旅程", "No journeys yet")
            case .tagHowTo:
                (
                    "扫码规则可限定产品、门店和地区；天数为空表示不限时间。沉睡和新客只看天数。",
                    "A scan rule may name a product, a store and a region; leave days empty for all time. Idle and newcomer look at days only."
                )
            case .mallKindCash: ("现金红包", "Cash red packet")
            case .mallCashNeedsWeChat: ("现金红包只发到微信零钱：请先用微信登录。", "Cash goes only to a WeChat balance: sign in with WeChat first.")
            case .mallCashSent: ("已转入微信零钱发放", "On its way to your WeChat balance")
            case .identityDevice: ("登录设备", "Device signed in on")
            case .riskDeviceBlacklisted: ("设备在黑名单", "device blacklisted")
            case .riskIPBlacklisted: ("IP 在黑名单", "IP address blacklisted")
            case .riskOpenIDBlacklisted: ("微信用户在黑名单", "WeChat user blacklisted")
            case .riskPhoneBlacklisted: ("手机号在黑名单", "phone blacklisted")
            case .riskDeviceVelocity: ("同一设备扫码过快", "too many scans from one device")
            case .riskSharedDevice: ("同一设备多个账号", "many consumers on one device")
            case .riskSharedIP: ("同一 IP 多个账号", "many consumers behind one IP")
            case .riskHarvestedCodes: ("一人扫多批次瓶盖", "codes from many batches")
            case .riskImpossibleTravel: ("位置移动过快", "impossible travel")
            case .outcomeWon: ("中奖", "won")
            case .outcomeNoPrize: ("未中奖", "no prize")
            case .outcomeAlreadyDrawn: ("已抽过", "already drawn")
            case .outcomeLimitReached: ("达到中奖上限", "limit reached")
            case .outcomeOutOfStock: ("奖品已发完", "out of stock")
            case .outcomeBudgetSpent: ("预算用尽", "budget spent")
            case .outcomeNoIdentity: ("缺少身份", "no identity")
            case .outcomeInactiveCode: ("码未激活", "inactive code")

            case .salesTooHigh: ("销量异常高", "Sales too high")
            case .salesTooLow: ("销量异常低", "Sales too low")
            case .farFromPeers: ("偏离同类门店", "Far from peers")
            case .dormant: ("沉睡门店", "Dormant")
            case .outOfStockRisk: ("缺货风险", "Out-of-stock risk")
            case .slowMover: ("滞销", "Slow mover")
            case .taskOpen: ("待处理", "Open")
            case .visited: ("已拜访", "Visited")
            case .resolved: ("已解决", "Resolved")
            case .pending: ("待评估", "Pending")
            case .backToNormal: ("已转化", "Back to normal")
            case .notConverted: ("未转化", "Not converted")
            case .restocked: ("已补货", "Restocked")
            case .displayFixed: ("已整改陈列", "Display fixed")
            case .promotionRun: ("已做促销", "Promotion run")
            case .consumersActivated: ("已激活消费者", "Consumers activated")
            case .storeClosed: ("门店关闭", "Store closed")
            case .competitor: ("竞品影响", "Competitor")
            case .seasonal: ("季节性", "Seasonal")
            case .dataError: ("数据有误", "Data error")
            case .causeGoneClosed: ("系统关闭：原因已消失", "Closed by the job: cause gone")
            case .newProductAdopter: ("新品先锋", "New-product adopter")
            case .loyalBuyers: ("复购率高", "Loyal buyers")
            case .growing: ("增长中", "Growing")
            case .declining: ("下滑中", "Declining")
            case .stable: ("平稳", "Stable")
            case .restock: ("补货", "Restock")
            case .clearStock: ("消化库存", "Clear stock")
            case .pushTheNewProduct: ("推新品", "Push the new product")
            case .activateConsumersNearby: ("激活周边消费者", "Activate consumers nearby")
            case .visitMoreOften: ("提高拜访频次", "Visit more often")
            case .keepUp: ("保持", "Keep up")
            case .salespersonRanking: ("业代排名", "Salesperson ranking")
            case .conversion: ("转化", "Conversion")
            case .raised: ("发现日", "Raised")
            case .why: ("原因", "Why")
            case .due: ("截止", "Due")
            case .rankingOwnLead: ("你在本团队中的位置（只显示你自己的数据）。", "Your place in your team (only your own figures are shown).")
            case .rank: ("名次", "Rank")
            case .score: ("得分", "Score")
            case .coverageInCycle: ("周期覆盖率", "Coverage in cycle")
            case .visitsADay: ("日均拜访", "Visits a day")
            case .alertsVisited: ("异常/已响应", "Alerts / visited")
            case .medianResponse: ("响应中位时长", "Median response")
            case .conversionRate: ("转化率", "Conversion")
            case .territoryGrowth: ("辖区增长", "Territory growth")
            case .myTasks: ("我的任务", "My tasks")
            case .saved: ("已提交", "Saved")
            case .noOpenTasksToday: ("今天没有待处理的任务。", "No open tasks today.")
            case .dueOn: ("截止 ", "due ")
            case .checkInAndCount: ("到店签到并盘点", "Check in and count stock")
            case .shelfUnits: ("库存", "units")
            case .facings: ("排面", "facings")
            case .notes: ("备注", "Notes")
            case .shelfPhoto: ("陈列照片", "Shelf photo")
            case .checkIn: ("签到", "Check in")
            case .resolution: ("处理结果", "Resolution")
            case .note: ("说明", "Note")
            case .resolve: ("解决", "Resolve")
            case .scannedSales28Days: ("近 28 天扫码动销", "Scanned sales, 28 days")
            case .previous28Days: ("前 28 天", "The 28 days before")
            case .estimatedStock: ("预估库存", "Estimated stock")
            case .openAlerts: ("未解决异常", "Open alerts")
            case .sellThroughAndReceipts: ("近 90 天动销与到货", "Sell-through and receipts, 90 days")
            case .stockAndReorder: ("库存与补货建议", "Stock and reorder")
            case .product: ("商品", "Product")
            case .stockColumn: ("预估库存", "Stock")
            case .soldADay: ("日均动销", "Sold a day")
            case .daysOfCover: ("可售天数", "Days of cover")
            case .scanRate: ("扫码率", "Scan rate")
            case .reorder: ("补货建议", "Reorder")
            case .countedPrefix: ("盘点 ", "counted ")
            case .unitsSuffix: (" 件", " units")
            case .profileAndStrategy: ("门店画像与策略", "Profile and strategy")
            case .newProductShare: ("新品占比 ", "New products ")
            case .repeatBuyerShare: (" · 复购消费者占比 ", " · repeat buyers ")
            case .madeByDailyJob: ("每日任务运行后生成。", "Made by the daily job.")
            case .alertsAndTasks: ("异常与任务", "Alerts and tasks")
            case .noAlerts: ("没有异常", "No alerts")
            case .visits: ("拜访记录", "Visits")
            case .noVisitsYet: ("还没有拜访", "No visits yet")
            case .photo: ("照片", "photo")
            case .scannedSalesADay: ("每日扫码动销", "Scanned sales a day")
            case .receivedOn: (" 到货 ", " received ")
            case .consumerScansUnits: ("消费者扫码（件）", "consumer scans (units)")
            case .caseReceipts: ("箱码到货", "case receipts")
            }
        }
    }
}

/// Numbers, money and times as pages show them.
enum Format {
    /// `12,345`.
    static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        guard digits.count > 3 else { return value < 0 ? "-" + digits : digits }
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        if value < 0 { out.append("-") }
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    /// `¥3.50` from fen.
    static func yuan(fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = String(magnitude % 100)
        return "\(sign)¥\(number(Int(magnitude / 100)))." + (cents.count < 2 ? "0" + cents : cents)
    }

    /// `2026-03-01 14:05` at `offsetSeconds` from UTC (China time, UTC+8, unless a brand's zone says otherwise).
    static func dateTime(millis: Int64, offsetSeconds: Int64 = 8 * 3600) -> String {
        let seconds = millis / 1000 + offsetSeconds
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        return CalendarDate(dayNumber: Int(days)).text + " " + String(secondOfDay / 3600).leftPadded(to: 2) + ":"
            + String(secondOfDay % 3600 / 60).leftPadded(to: 2)
    }

    /// A region's full name without a repeated level (`北京市 朝阳区`, not `北京市 北京市 朝阳区`); the code when unknown.
    static func regionName(_ code: String, in regions: RegionCatalog) -> String {
        var names: [String] = []
        for region in regions.ancestry(of: code) where names.last != region.name { names.append(region.name) }
        return names.isEmpty ? code : names.joined(separator: " ")
    }

    /// A decimal with a fixed number of places, e.g. a coordinate.
    static func decimal(_ value: Double, places: Int) -> String {
        String(format: "%.\(max(0, min(places, 8)))f", value)
    }
}
