using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal.Alerts;
using CaseExchange.Journal.Replay;
using CaseExchange.Journal.Verification;
using CaseExchange.Retention;
using CaseExchange.Retention.Ledger;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Journal.ControlReport;

/// <summary>
/// The period of an annual control report: a French calendar year, from 1 January 0:00 (Paris) to the next 1 January.
/// A year not yet over is never reported as if it were: the current year only with <see cref="ToDate"/>, and then the
/// period ends at the instant of generation and the document says « à date » on its title. A past year is always whole
/// (asking « à date » for it changes nothing: it is over).
/// </summary>
public sealed record ControlReportPeriod(int Year, bool ToDate, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The first year a report may cover: before it, no CaseExchange council existed.</summary>
    public const int FirstYear = 2020;

    public static int CurrentYear(DateTimeOffset now) => FrenchTime.Local(now).Year;

    public static ValidationErrors Check(int? year, bool toDate, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var current = CurrentYear(now);
        if (year is not { } y) return errors.Add("year", "Choisissez l'année du rapport.");
        if (y < FirstYear || y > current) return errors.Add("year", $"L'année du rapport doit être comprise entre {FirstYear} et {current}.");
        return errors.When(y == current && !toDate, "toDate",
            $"L'année {y} n'est pas terminée : un rapport de l'année en cours porte la mention « à date » (cochez-la).");
    }

    /// <summary>The period (pure): call <see cref="Check"/> first.</summary>
    public static ControlReportPeriod Of(int year, bool toDate, DateTimeOffset now)
    {
        var from = FrenchTime.StartOf(new DateOnly(year, 1, 1));
        var current = year == CurrentYear(now);
        return current
            ? new ControlReportPeriod(year, true, from, now)
            : new ControlReportPeriod(year, false, from, FrenchTime.StartOf(new DateOnly(year + 1, 1, 1)));
    }

    /// <summary>The end of the calendar year, even for a report « à date »: erasures due are those of the whole year.</summary>
    public DateTimeOffset YearEnd => FrenchTime.StartOf(new DateOnly(Year + 1, 1, 1));
}

public sealed record OpeningCount(Guid? GroupId, string Group, string Purpose, string PurposeLabel, int Count);

public sealed record RefusalCount(string Refusal, string Label, int Count);

/// <summary>An entry whose replayed verdict disagrees with what was recorded: a granted access the rules refuse, or a refusal of an entitled member.</summary>
public sealed record DisagreementLine(DateTimeOffset At, string Member, string Subject, string Action, string Pseudonym, bool Granted,
    string Verdict, IReadOnlyList<string> Reasons);

public sealed record ArchiveOpeningLine(DateTimeOffset At, string Member, string Pseudonym, string? ReasonCode, string ReasonLabel, bool WrittenReason);

public sealed record ErasureDoneLine(DateTimeOffset At, string Pseudonym, string Cause, string CauseLabel, string? OrderReason);

public sealed record ErasureDueLine(DateTimeOffset DueAt, string Pseudonym, string State, DateTimeOffset? ErasedAt);

/// <summary>The erasure ledger kept outside the database, compared with the erasures the event store holds.</summary>
public sealed record LedgerCheck(bool Configured, bool Intact, int ListedInPeriod, IReadOnlyList<string> MissingFromLedger);

public sealed record IntegrityCheck(bool Intact, string Summary, long EntryCount, int ChainCount, long CheckpointCount, long UnsealedEntryCount,
    long? LastCheckpointSequence, string? LastCheckpointHash, int BrokenChainCount, IReadOnlyList<string> Breaks);

public sealed record AlertLine(string Label, string Member, DateTimeOffset From, DateTimeOffset To, int Count, IReadOnlyList<string> Pseudonyms);

/// <summary>
/// The annual control report. Only pseudonyms, codes of the charter's lists, group names and, where the auditeur's journal
/// page already shows them, members' names and logins (professionals, named for accountability): never an identity of
/// a person concerned, never a written justification (only the fact that one exists).
/// <para>Small counts are printed as they are (a group with 1 opening, 2 refusals): this is a control report for the
/// auditeur, who reads the same entries one by one in the journal, not a statistic published to the plenary, where
/// cells under the threshold are suppressed. Hiding them here would hide exactly the isolated access a control looks for.</para>
/// </summary>
public sealed record ControlReportContent(
    string CouncilCode, string CouncilName, ControlReportPeriod Period, DateTimeOffset GeneratedAt, string GeneratedBy,
    int EntryCount, int GrantedOpenings, int RefusedCount,
    IReadOnlyList<OpeningCount> Openings, IReadOnlyList<RefusalCount> Refusals, IReadOnlyList<DisagreementLine> Disagreements,
    IReadOnlyList<ArchiveOpeningLine> ArchiveOpenings, IReadOnlyList<ErasureDoneLine> ErasuresDone, IReadOnlyList<ErasureDueLine> ErasuresDue,
    LedgerCheck Ledger, IntegrityCheck Integrity, IReadOnlyList<AlertLine> Alerts, bool AlertsTruncated)
{
    public string Title => $"Rapport annuel de contrôle {Period.Year}" + (Period.ToDate ? $" — à date du {FrenchTime.Day(Period.To)}" : "");

    public string FileName => $"rapport-controle-{CouncilCode}-{Period.Year}{(Period.ToDate ? "-a-date" : "")}.docx";

    /// <summary>The erasure states of <see cref="ErasureDueLine.State"/>.</summary>
    public const string Done = "effectue", Overdue = "en-retard", Upcoming = "a-venir";

    public static string StateLabel(string state) => state switch
    {
        Done => "Effectué",
        Overdue => "Non effectué à l'échéance : à examiner",
        Upcoming => "À venir",
        _ => state,
    };

    public static string CauseLabel(string cause) => cause switch
    {
        ErasureCauses.RetentionPeriodEnded => "Fin de la durée de conservation (archive)",
        ErasureCauses.AgeLimitReached => "Limite d'âge atteinte",
        ErasureCauses.ErasureOrder => "Ordre d'effacement",
        _ => cause,
    };
}

/// <summary>What the report reads besides the session: the replay, the journal's verifier and the erasure ledger.</summary>
public sealed record ControlReportServices(AccessReplay Replay, JournalVerifier Verifier, ErasureLedger Ledger);

public static class ControlReportEndpoint
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    [WolverineGet("/api/councils/{council}/journal/control-reports/{year}",
        Summary = "Rapport annuel de contrôle du journal (DOCX), rejoué depuis le journal ; l'année en cours seulement « à date » (auditeur)"), Tags("Journal")]
    public static Task<IResult> Get(int year, bool? toDate, CouncilRequest request, ControlReportServices services) =>
        ControlReportUseCase.DocxAsync(request, services, year, toDate ?? false);
}

public static class ControlReportUseCase
{
    /// <summary>Six years of journal (charte, article 17) at a few thousand entries a year: far under this.</summary>
    public const int MaxEntries = 1_000_000;

    public static void Require(CouncilRequest request) => request.Actor.Require(AccessRules.ReadControlReport(request.Policy, request.Actor.Member));

    /// <summary>
    /// The report as a DOCX file. Not journalled: like the journal's pages and export, it holds no nominative data
    /// (charte, article 17 journals consultations of nominative data), and the auditeur's own acts are not journal entries.
    /// </summary>
    public static async Task<IResult> DocxAsync(CouncilRequest request, ControlReportServices services, int year, bool toDate)
    {
        var content = await BuildAsync(request, services, year, toDate);
        return Results.File(ControlReportDocx.Render(content), ControlReportEndpoint.DocxType, content.FileName);
    }

    public static async Task<ControlReportContent> BuildAsync(CouncilRequest request, ControlReportServices services, int year, bool toDate)
    {
        Require(request);
        var now = request.Now;
        ControlReportPeriod.Check(year, toDate, now).ThrowIfAny();
        var period = ControlReportPeriod.Of(year, toDate, now);
        var (session, cancellation, policy) = (request.Session, request.Cancellation, request.Policy);

        // The journal of the period, replayed: each entry judged with the rules and the states at its own instant.
        var (from, to) = (period.From, period.To);
        var entries = await session.Events.QueryRawEventDataOnly<AccessJournalled>()
            .Where(e => e.At >= from && e.At < to)
            .OrderBy(e => e.At).Take(MaxEntries + 1).ToListAsync(cancellation);
        if (entries.Count > MaxEntries)
            new ValidationErrors().Add("year", $"Le journal de l'année compte plus de {MaxEntries} entrées : le rapport ne peut être établi en une fois.").ThrowIfAny();
        var replayed = await services.Replay.ReplayAsync(session, entries, cancellation);

        var memberIds = entries.Select(e => e.MemberId).OfType<Guid>().Distinct().ToList();
        var members = (await session.LoadManyAsync<Member>(cancellation, memberIds)).ToDictionary(m => m.Id);
        string MemberOf(AccessJournalled e) => e.MemberId is { } id && members.GetValueOrDefault(id) is { } m
            ? $"{m.DisplayName} ({m.Organisation})"
            : e.MemberId is null ? "Service (aucun membre)" : "Membre inconnu";
        var groupIds = replayed.Values.Select(r => r.HoldingGroupId).OfType<Guid>().Distinct().ToList();
        var groups = (await session.LoadManyAsync<Group>(cancellation, groupIds)).ToDictionary(g => g.Id, g => g.Name);

        var openings = entries.Where(JournalAlertRules.IsOpening)
            .GroupBy(e => (Group: replayed[e.EntryId].HoldingGroupId, Purpose: e.Purpose ?? ""))
            .Select(g => new OpeningCount(g.Key.Group,
                g.Key.Group is { } id ? groups.GetValueOrDefault(id, "Groupe inconnu") : "Aucun groupe détenteur à cet instant",
                g.Key.Purpose, g.Key.Purpose.Length == 0 ? "Sans motif" : policy.AccessPurposes.LabelOf(g.Key.Purpose), g.Count()))
            .OrderBy(o => o.Group, StringComparer.Ordinal).ThenByDescending(o => o.Count).ThenBy(o => o.Purpose, StringComparer.Ordinal)
            .ToList();

        var refusals = entries.Where(e => !e.Granted)
            .GroupBy(e => e.Refusal ?? "")
            .Select(g => new RefusalCount(g.Key, RefusalLabel(g.Key), g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Refusal, StringComparer.Ordinal).ToList();

        var disagreements = entries.Where(e => replayed[e.EntryId].Verdict.Verdict != ReplayVerdicts.Legitimate)
            .Select(e =>
            {
                var verdict = replayed[e.EntryId].Verdict;
                return new DisagreementLine(e.At, MemberOf(e), e.Subject, JournalActions.Label(e.Action), e.Pseudonym, e.Granted,
                    ReplayVerdicts.Label(verdict.Verdict), [.. verdict.Reasons.Select(ReplayReasons.Explain)]);
            }).ToList();

        var archiveOpenings = entries.Where(e => e.Granted && e.Action == JournalActions.ArchiveOpening)
            .Select(e => new ArchiveOpeningLine(e.At, MemberOf(e), e.Pseudonym, e.ArchiveReasonCode,
                e.ArchiveReasonCode is { } code ? policy.ArchiveAccessReasons.LabelOf(code) : "Aucun motif enregistré",
                e.ArchiveReasonDetail is not null))
            .ToList();

        var (done, due, ledger) = await ErasuresAsync(session, services.Ledger, request.Council, policy, period, now, cancellation);

        var verification = await services.Verifier.VerifyAsync(request.Council, cancellation);
        var integrity = new IntegrityCheck(verification.Intact, VerificationView.Summarise(verification), verification.EntryCount,
            verification.ChainCount, verification.CheckpointCount, verification.UnsealedEntryCount, verification.LastCheckpointSequence,
            verification.LastCheckpointHash, verification.BrokenChainCount,
            [.. verification.Breaks.Select(b => $"{JournalBreakKinds.Explain(b.Kind)} ({b.Pseudonym ?? "chaîne des points de scellement"}, position {b.Sequence})")]);

        var alerts = await ListAlertsUseCase.HandleAsync(request, period.From, period.To);
        var alertLines = alerts.Alerts.OrderBy(a => a.From)
            .Select(a => new AlertLine(a.Label, a.MemberName is null ? a.Subject : $"{a.MemberName} ({a.Organisation})", a.From, a.To, a.Count, a.Pseudonyms))
            .ToList();

        var council = request.Actor.Council;
        return new ControlReportContent(council.Code, council.Name, period, now,
            $"{request.Actor.Member.DisplayName} ({request.Actor.Member.Organisation})",
            entries.Count, entries.Count(JournalAlertRules.IsOpening), entries.Count(e => !e.Granted),
            openings, refusals, disagreements, archiveOpenings, done, due, ledger, integrity, alertLines, alerts.Truncated);
    }

    public static string RefusalLabel(string refusal) => refusal switch
    {
        "" => "Sans motif enregistré",
        JournalFailures.KeyUnavailable => "Clé de la situation indisponible (défaillance technique)",
        _ => Refusals.Explain(refusal),
    };

    /// <summary>
    /// Erasures from the event store (the erasure events, closures and pseudonyms of the referrals), not from the
    /// situations' documents; the ledger outside the database is then read and compared. Erasures due are those whose
    /// inactive archive ends in the calendar year (closure + the charter's years). Age-limit dates come from sealed
    /// birth dates: the service's sweep applies them, they appear among the erasures done, not among those due.
    /// </summary>
    private static async Task<(IReadOnlyList<ErasureDoneLine>, IReadOnlyList<ErasureDueLine>, LedgerCheck)> ErasuresAsync(
        IQuerySession session, ErasureLedger ledger, string council, CharterPolicy policy, ControlReportPeriod period, DateTimeOffset now,
        CancellationToken cancellation)
    {
        var years = policy.Retention.InactiveArchiveYears;
        var erased = (await session.Events.QueryRawEventDataOnly<NominativeDataErased>().ToListAsync(cancellation))
            .GroupBy(e => e.SituationId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.At).First());
        // Closed in [start − years, end − years): their archive ends in the year (Marten translates constants, not calls).
        var closedFrom = period.From.AddYears(-years);
        var closedTo = period.YearEnd.AddYears(-years);
        var closures = (await session.Events.QueryRawEventDataOnly<SituationClosed>()
                .Where(e => e.At >= closedFrom && e.At < closedTo).ToListAsync(cancellation))
            .GroupBy(e => e.SituationId).Select(g => g.OrderBy(e => e.At).Last()).ToList();
        var doneInPeriod = erased.Values.Where(e => e.At >= period.From && e.At < period.To).OrderBy(e => e.At).ToList();

        var ids = doneInPeriod.Select(e => e.SituationId).Concat(closures.Select(c => c.SituationId)).Distinct().ToArray();
        var pseudonyms = ids.Length == 0 ? new Dictionary<Guid, string>() :
            (await session.Events.QueryRawEventDataOnly<SituationReferred>().Where(e => e.SituationId.IsOneOf(ids)).ToListAsync(cancellation))
            .GroupBy(e => e.SituationId).ToDictionary(g => g.Key, g => g.First().Pseudonym);
        string Pseudonym(Guid id) => pseudonyms.GetValueOrDefault(id, "situation inconnue");

        var done = doneInPeriod.Select(e => new ErasureDoneLine(e.At, Pseudonym(e.SituationId), e.Cause, ControlReportContent.CauseLabel(e.Cause),
            e.OrderReason is { } reason ? policy.ErasureOrderReasons.LabelOf(reason) : null)).ToList();
        var due = closures.Select(c =>
            {
                var dueAt = RetentionDates.ArchiveEnds(c.At, policy.Retention);
                var erasure = erased.GetValueOrDefault(c.SituationId);
                var state = erasure is not null ? ControlReportContent.Done : dueAt <= now ? ControlReportContent.Overdue : ControlReportContent.Upcoming;
                return new ErasureDueLine(dueAt, Pseudonym(c.SituationId), state, erasure?.At);
            })
            .OrderBy(d => d.DueAt).ToList();

        LedgerCheck check;
        if (!ledger.IsEnabled) check = new LedgerCheck(false, false, 0, []);
        else
        {
            var report = await ledger.ReadAsync(cancellation);
            var listed = report.Entries.Where(e => e.Council == council).Select(e => e.SituationId).ToHashSet();
            check = new LedgerCheck(true, report.Intact, report.Entries.Count(e => e.Council == council && e.ErasedAt >= period.From && e.ErasedAt < period.To),
                [.. doneInPeriod.Where(e => !listed.Contains(e.SituationId)).Select(e => Pseudonym(e.SituationId))]);
        }
        return (done, due, check);
    }
}
