namespace CaseExchange.Journal.Alerts;

/// <summary>The kinds of alert an auditor is shown: a closed list.</summary>
public static class AlertKinds
{
    public const string MassOpenings = "ouvertures-massives";
    public const string RepeatedRefusals = "refus-repetes";
    public const string FarFromSeance = "ouverture-hors-seance";

    public static string Label(string kind) => kind switch
    {
        MassOpenings => "Ouvertures en nombre",
        RepeatedRefusals => "Refus répétés",
        FarFromSeance => "Ouverture loin de toute séance du groupe",
        _ => kind,
    };
}

/// <summary>
/// A pattern in the journal that an auditor should look at: who (a professional, named for accountability), the
/// entries behind it (their instants and the situations' pseudonyms), never nominative content. An alert is a question,
/// not a verdict: the replayed verdict of each entry stays on the journal's page.
/// </summary>
public sealed record JournalAlert(
    string Kind, Guid? MemberId, string Subject, DateTimeOffset From, DateTimeOffset To, int Count,
    IReadOnlyList<string> Pseudonyms, IReadOnlyList<DateTimeOffset> Instants, IReadOnlyList<Guid> EntryIds);

/// <summary>
/// The alert rules, as a pure function of journal entries, the situations' groups and the groups' séance dates, so
/// that they are tested without a database and judged the same way whatever the page.
/// </summary>
public static class JournalAlertRules
{
    /// <summary>
    /// More than this many granted openings by one member within <see cref="MassOpeningWindow"/> is an alert. A working
    /// group's séance examines a handful of situations (the demo council's agendas hold three to eight); preparing one
    /// opens each file once. More than ten files in an hour exceeds any agenda and reads as browsing, the pattern the
    /// CNIL sanctions as "consultations massives" in shared files.
    /// </summary>
    public const int MassOpeningThreshold = 10;

    /// <summary>One hour: the time a member takes to prepare a séance's files; a sliding window, not clock hours.</summary>
    public static readonly TimeSpan MassOpeningWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// Three refused attempts by one subject within <see cref="RefusalWindow"/>: one refusal is a mistake (a wrong group,
    /// an unsigned charter), two a retry, three in a day a member trying their way in.
    /// </summary>
    public const int RefusalThreshold = 3;

    public static readonly TimeSpan RefusalWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// A file is opened to prepare, hold or follow up a séance (charte: need to know, within the group's work). An
    /// opening more than seven days from every séance of the situation's group (a week before its agenda, a week after
    /// its examination) has no séance to serve.
    /// </summary>
    public static readonly TimeSpan SeanceProximity = TimeSpan.FromDays(7);

    /// <summary>The openings counted for mass openings: a nominative file, current or archived.</summary>
    public static bool IsOpening(AccessJournalled e) =>
        e.Granted && e.Action is JournalActions.FileOpening or JournalActions.ArchiveOpening && e.SituationId != JournalChains.CouncilSituationId;

    /// <param name="entries">The journal entries of the period, in any order.</param>
    /// <param name="groupOfSituation">Each situation's working group (a situation missing here is not judged by the séance rule).</param>
    /// <param name="seanceDates">The dates of each group's séances that were not cancelled.</param>
    public static IReadOnlyList<JournalAlert> Compute(IEnumerable<AccessJournalled> entries, IReadOnlyDictionary<Guid, Guid> groupOfSituation,
        IReadOnlyDictionary<Guid, IReadOnlyList<DateTimeOffset>> seanceDates)
    {
        var ordered = entries.OrderBy(e => e.At).ThenBy(e => e.EntryId).ToList();
        var alerts = new List<JournalAlert>();

        foreach (var member in ordered.Where(IsOpening).Where(e => e.MemberId is not null).GroupBy(e => e.MemberId))
            alerts.AddRange(Bursts([.. member], MassOpeningWindow, MassOpeningThreshold + 1).Select(b => Alert(AlertKinds.MassOpenings, b)));

        foreach (var subject in ordered.Where(e => !e.Granted).GroupBy(e => e.Subject))
            alerts.AddRange(Bursts([.. subject], RefusalWindow, RefusalThreshold).Select(b => Alert(AlertKinds.RepeatedRefusals, b)));

        // Archive openings carry their own reason from the charter's list (a litigation, a right of access): a séance is
        // not what they serve, so only openings of current files are judged by this rule.
        foreach (var opening in ordered.Where(e => IsOpening(e) && e.Action == JournalActions.FileOpening))
        {
            if (!groupOfSituation.TryGetValue(opening.SituationId, out var group)) continue;
            var dates = seanceDates.GetValueOrDefault(group) ?? [];
            if (!dates.Any(d => (d - opening.At).Duration() <= SeanceProximity))
                alerts.Add(Alert(AlertKinds.FarFromSeance, [opening]));
        }

        return [.. alerts.OrderByDescending(a => a.To).ThenBy(a => a.Kind)];
    }

    /// <summary>
    /// The runs of entries (ordered by instant) in which some window of <paramref name="window"/> holds at least
    /// <paramref name="minimum"/> entries; overlapping windows are merged into one run, so a burst gives one alert.
    /// </summary>
    public static IEnumerable<IReadOnlyList<AccessJournalled>> Bursts(IReadOnlyList<AccessJournalled> ordered, TimeSpan window, int minimum)
    {
        int? runStart = null;
        var runEnd = -1;
        var start = 0;
        for (var end = 0; end < ordered.Count; end++)
        {
            while (ordered[end].At - ordered[start].At >= window) start++;
            if (end - start + 1 < minimum) continue;
            if (runStart is not null && start <= runEnd)
            {
                runEnd = end;
                continue;
            }
            if (runStart is { } previous) yield return ordered.Skip(previous).Take(runEnd - previous + 1).ToList();
            (runStart, runEnd) = (start, end);
        }
        if (runStart is { } last) yield return ordered.Skip(last).Take(runEnd - last + 1).ToList();
    }

    private static JournalAlert Alert(string kind, IReadOnlyList<AccessJournalled> run) => new(
        kind, run[0].MemberId, run[0].Subject, run[0].At, run[^1].At, run.Count,
        [.. run.Select(e => e.Pseudonym).Distinct()], [.. run.Select(e => e.At)], [.. run.Select(e => e.EntryId)]);
}
