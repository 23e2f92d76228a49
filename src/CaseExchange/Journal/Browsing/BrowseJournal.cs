using System.Globalization;
using System.Text;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal.Replay;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Journal.Browsing;

/// <summary>The replayed judgement of an entry, with labels for people.</summary>
public sealed record ReplayView(string Verdict, string Label, bool EntitledAtThatInstant, string? EntitlementRefusal,
    IReadOnlyList<string> Reasons, IReadOnlyList<string> Explanations)
{
    public static ReplayView Of(ReplayVerdict v) => new(v.Verdict, ReplayVerdicts.Label(v.Verdict), v.Entitled, v.EntitlementRefusal,
        v.Reasons, [.. v.Reasons.Select(ReplayReasons.Explain)]);
}

/// <summary>
/// One journal entry as auditors see it: who (member, organisation, login), when, what, which situation (pseudonym
/// only), for what purpose, the outcome and its replayed judgement. Never nominative content: for an archive opening,
/// the reason's code and the fact that a written justification exists, never the justification itself.
/// </summary>
public sealed record JournalEntryView(
    Guid EntryId, DateTimeOffset At, Guid ChainId, long Sequence,
    Guid? MemberId, string Subject, string? MemberName, string? Organisation,
    string Action, string ActionLabel, Guid SituationId, string Pseudonym,
    string? Purpose, string? PurposeLabel, string? ArchiveReasonCode, string? ArchiveReasonLabel, bool WrittenReasonRecorded,
    bool Granted, string? Refusal, ReplayView Replay, string Hash);

/// <summary>One page of the journal, the most recent entries first.</summary>
/// <param name="Items">The page's entries.</param>
/// <param name="TotalCount">
/// The number of matching entries, counted up to a cap (1,000, or the end of the page asked if further): when
/// <paramref name="TotalCountCapped"/> is true, more entries match than this number.
/// </param>
/// <param name="Page">The page's number, from 1.</param>
/// <param name="PageSize">Entries per page.</param>
/// <param name="TotalCountCapped">True when the count stopped at its cap: the total is « more than <c>totalCount</c> ».</param>
/// <param name="HasNextPage">True when a page follows this one (ask for <c>page + 1</c>).</param>
public sealed record JournalPage(IReadOnlyList<JournalEntryView> Items, long TotalCount, int Page, int PageSize, bool TotalCountCapped = false,
    bool HasNextPage = false);

/// <summary>Auditors' filters; <c>to</c> is exclusive, so that consecutive periods do not overlap.</summary>
public sealed record JournalFilter(Guid? MemberId, string? Pseudonym, DateTimeOffset? From, DateTimeOffset? To)
{
    public IQueryable<AccessJournalled> Apply(IQueryable<AccessJournalled> query)
    {
        if (MemberId is { } member) query = query.Where(e => e.MemberId == member);
        if (!string.IsNullOrWhiteSpace(Pseudonym))
        {
            var pseudonym = Pseudonym.Trim();
            query = query.Where(e => e.Pseudonym == pseudonym);
        }
        if (From is { } from) query = query.Where(e => e.At >= from);
        if (To is { } to) query = query.Where(e => e.At < to);
        return query;
    }
}

public static class BrowseJournalEndpoints
{
    [WolverineGet("/api/councils/{council}/journal/entries", Summary = "Journal des accès : entrées filtrées, avec le verdict rejoué (auditeur)"), Tags("Journal")]
    public static Task<JournalPage> List(Guid? memberId, string? pseudonym, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        CouncilRequest request, AccessReplay replay) =>
        BrowseJournalUseCase.ListAsync(request, replay, new JournalFilter(memberId, pseudonym, from, to), page, pageSize);

    /// <summary>The same entries as a CSV file for a spreadsheet: UTF-8 with a byte order mark, semicolons (French Excel).</summary>
    [WolverineGet("/api/councils/{council}/journal/export", Summary = "Journal des accès : export CSV des entrées filtrées (auditeur)"), Tags("Journal")]
    public static Task<IResult> Export(Guid? memberId, string? pseudonym, DateTimeOffset? from, DateTimeOffset? to, CouncilRequest request,
        AccessReplay replay) =>
        BrowseJournalUseCase.ExportAsync(request, replay, new JournalFilter(memberId, pseudonym, from, to));
}

public static class BrowseJournalUseCase
{
    public const int MaxExportRows = 100_000;

    public static async Task<JournalPage> ListAsync(CouncilRequest request, AccessReplay replay, JournalFilter filter, int? page, int? pageSize)
    {
        RequireAuditor(request);
        var (session, cancellation) = (request.Session, request.Cancellation);
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var skip = (number - 1) * size;
        var ordered = filter.Apply(session.Events.QueryRawEventDataOnly<AccessJournalled>())
            .OrderByDescending(e => e.At).ThenByDescending(e => e.EntryId);
        // Counted up to a cap along the page's own index, not count(*) of the whole journal (CappedCount).
        var counted = (await ordered.Select(e => e.EntryId).Take(CappedCount.LimitFor(skip, size) + 1).ToListAsync(cancellation)).Count;
        var (total, capped, hasNext) = CappedCount.Of(counted, skip, size);
        var entries = await ordered.Skip(skip).Take(size).ToListAsync(cancellation);
        var views = await ViewsAsync([.. entries], session, request.Policy, replay, cancellation);
        return new JournalPage(views, total, number, size, capped, hasNext);
    }

    public static async Task<IResult> ExportAsync(CouncilRequest request, AccessReplay replay, JournalFilter filter)
    {
        RequireAuditor(request);
        var (session, cancellation) = (request.Session, request.Cancellation);
        var entries = await filter.Apply(session.Events.QueryRawEventDataOnly<AccessJournalled>())
            .OrderBy(e => e.At).ThenBy(e => e.EntryId)
            .Take(MaxExportRows + 1)
            .ToListAsync(cancellation);
        if (entries.Count > MaxExportRows)
            new ValidationErrors().Add("from", $"L'export est limité à {MaxExportRows} entrées : resserrez la période.").ThrowIfAny();

        var views = await ViewsAsync([.. entries], session, request.Policy, replay, cancellation);
        var name = $"journal-des-acces-{request.Council}-{request.Now:yyyyMMdd-HHmm}.csv";
        return Results.File(JournalCsv.Write(views), "text/csv; charset=utf-8", name);
    }

    /// <summary>The journal, its checkpoints and its verification are for the council's auditors.</summary>
    public static void RequireAuditor(CouncilRequest request) =>
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ReadJournal);

    private static async Task<IReadOnlyList<JournalEntryView>> ViewsAsync(IReadOnlyList<AccessJournalled> entries, IQuerySession session,
        CharterPolicy policy, AccessReplay replay, CancellationToken cancellation)
    {
        var verdicts = await replay.JudgeAsync(session, entries, cancellation);
        var members = (await session.LoadManyAsync<Member>(cancellation, entries.Select(e => e.MemberId).OfType<Guid>().Distinct()))
            .ToDictionary(m => m.Id);
        return [.. entries.Select(e =>
        {
            var member = e.MemberId is { } id ? members.GetValueOrDefault(id) : null;
            return new JournalEntryView(e.EntryId, e.At, JournalChains.ChainOf(e.SituationId), e.Sequence,
                e.MemberId, e.Subject, member?.DisplayName, member?.Organisation,
                e.Action, JournalActions.Label(e.Action), e.SituationId, e.Pseudonym,
                e.Purpose, e.Purpose is null ? null : JournalActions.PurposesFor(e.Action, policy).LabelOf(e.Purpose),
                e.ArchiveReasonCode, e.ArchiveReasonCode is null ? null : policy.ArchiveAccessReasons.LabelOf(e.ArchiveReasonCode),
                WrittenReasonRecorded: e.ArchiveReasonDetail is not null,
                e.Granted, e.Refusal, ReplayView.Of(verdicts[e.EntryId]), e.Hash);
        })];
    }
}

/// <summary>Writes entries as CSV. Cells that a spreadsheet would run as a formula are neutralised.</summary>
public static class JournalCsv
{
    private static readonly string[] Header =
    [
        "horodatage_utc", "pseudonyme", "chaine", "sequence", "membre_id", "membre", "organisation", "identifiant_connexion",
        "action", "motif", "motif_archive", "justification_ecrite", "acces_accorde", "refus", "verdict", "droit_a_cet_instant",
        "refus_rejoue", "raisons", "empreinte",
    ];

    public static byte[] Write(IEnumerable<JournalEntryView> entries)
    {
        var csv = new StringBuilder();
        Line(csv, Header);
        foreach (var e in entries)
        {
            Line(csv,
            [
                e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), e.Pseudonym, e.ChainId.ToString(),
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.MemberId?.ToString() ?? "", e.MemberName ?? "", e.Organisation ?? "", e.Subject,
                e.Action, e.Purpose ?? "", e.ArchiveReasonCode ?? "", e.WrittenReasonRecorded ? "oui" : "non", e.Granted ? "oui" : "non",
                e.Refusal ?? "", e.Replay.Verdict, e.Replay.EntitledAtThatInstant ? "oui" : "non", e.Replay.EntitlementRefusal ?? "",
                string.Join(" ", e.Replay.Reasons), e.Hash,
            ]);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static void Line(StringBuilder csv, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) csv.Append(';');
            csv.Append(Cell(cells[i]));
        }
        csv.Append("\r\n");
    }

    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
