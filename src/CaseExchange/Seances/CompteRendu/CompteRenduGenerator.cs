using CaseExchange.Journal;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Situations.Referral;
using Marten;
using Marten.Events;

namespace CaseExchange.Seances.CompteRendu;

/// <summary>IN CLEAR until checked: a note the coordonnateur writes about one examined situation, for the CR.</summary>
public sealed record SituationNote(Guid SituationId, [property: JsonPropertyName("text")] string? TextInClear)
{
    public override string ToString() => "[note de compte rendu]";
}

/// <summary>IN CLEAR until checked: the decision taken on one point of the general part (relevé de décisions).</summary>
public sealed record GeneralDecisionNote(Guid ItemId, [property: JsonPropertyName("text")] string? TextInClear)
{
    public override string ToString() => "[relevé de décision]";
}

/// <summary>IN CLEAR until checked: the free texts of a CR. Refused as a whole if any names a person concerned.</summary>
public sealed record CompteRenduTexts(string? SyntheseInClear, string? ProchainesEtapesInClear, IReadOnlyList<SituationNote> Notes,
    IReadOnlyList<GeneralDecisionNote>? GeneralDecisions = null)
{
    public static readonly CompteRenduTexts None = new(null, null, []);

    public override string ToString() => "[textes de compte rendu]";
}

/// <summary>An identity element found in one of the free texts: which field, its label, and where (never the value nor its kind).</summary>
public sealed record FieldFinding(string Field, string FieldLabel, int Start, int Length);

/// <summary>The CR content, or why the free texts cannot go into it.</summary>
public sealed record CompteRenduDraft(CompteRenduContent? Content, IReadOnlyList<FieldFinding> Refusals);

/// <summary>
/// Everything a CR of one séance is built from, and a guard that knows which terms of the strings to check belong to a
/// live person of the council (from the identity index: no identity in clear).
/// </summary>
public sealed record CompteRenduSources(
    Seance Seance, Council Council, Group Group, IReadOnlyList<Member> NominativePart, IReadOnlyList<Member> GeneralPartOnly,
    IReadOnlyList<Situation> Situations, IdentityTextGuard Guard)
{
    public override string ToString() => $"[sources du compte rendu {Seance.Id}]";

    public IEnumerable<Situation> Examined => Situations.Where(s => s.Agenda.Any(a => a.SeanceId == Seance.Id && a.Examined));
}

/// <summary>
/// Builds the anonymised CR of a séance. The content comes only from the Situation documents (pseudonym, age bands,
/// reasons, sector, decisions' kinds, actions' kinds, owners and due dates: the anonymised view's sources), the séance
/// (date, attendance as organisations and functions) and the checked free texts. Every string that reaches the CR is
/// checked against the council's identity index (every live person of the council, not only this séance's), without
/// decrypting any situation.
/// </summary>
public sealed class CompteRenduGenerator(CharterPolicy policy, IdentityIndex index)
{
    public const string Masked = "[mention occultée]";
    public const int MaxSyntheseLength = 4000;
    public const int MaxProchainesEtapesLength = 2000;
    public const int MaxNoteLength = 1000;

    /// <summary>One query per kind of source, then one query to the identity index for every string that may reach the CR.</summary>
    public async Task<CompteRenduSources> LoadAsync(IQuerySession session, Seance seance, CompteRenduTexts texts, CancellationToken cancellation = default)
    {
        var seanceId = seance.Id;
        var batch = session.CreateBatchQuery();
        var council = batch.Load<Council>(Council.StreamId);
        var group = batch.Load<Group>(seance.GroupId);
        var situations = batch.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToList();
        await batch.Execute(cancellation);

        var members = await session.LoadManyAsync<Member>(cancellation, seance.NominativePart.Concat(seance.GeneralPartOnly).Distinct().ToArray());
        var byId = members.ToDictionary(m => m.Id);
        var onAgenda = await situations;
        var checkedStrings = new List<string?> { texts.SyntheseInClear, texts.ProchainesEtapesInClear };
        checkedStrings.AddRange(texts.Notes.Select(n => n.TextInClear));
        checkedStrings.AddRange((texts.GeneralDecisions ?? []).Select(d => d.TextInClear));
        checkedStrings.AddRange(seance.GeneralItems.Select(i => i.Text));
        checkedStrings.AddRange(members.SelectMany(m => new[] { m.Organisation, m.Function }));
        checkedStrings.AddRange(seance.Guests.SelectMany(g => new[] { g.Organisation, g.Function }));
        checkedStrings.AddRange(onAgenda.SelectMany(s => s.Actions).SelectMany(a => new[] { a.OwnerOrganisation, a.OwnerRole }));
        var guard = await index.GuardForAsync(session.TenantId, checkedStrings, cancellation);

        return new CompteRenduSources(seance, await council ?? throw new InvalidOperationException("Council stream missing"),
            await group ?? throw new InvalidOperationException("Group of the séance missing"),
            [.. seance.NominativePart.Where(byId.ContainsKey).Select(id => byId[id])],
            [.. seance.GeneralPartOnly.Where(byId.ContainsKey).Select(id => byId[id])],
            [.. onAgenda.OrderBy(s => s.Pseudonym, StringComparer.Ordinal)], guard);
    }

    /// <summary>Pure: the CR content with the given number, or the identity elements found in the free texts.</summary>
    public CompteRenduDraft Draft(CompteRenduSources sources, CompteRenduTexts texts, int number, DateTimeOffset now)
    {
        var guard = sources.Guard;
        var refusals = new List<FieldFinding>();
        void Check(string field, string label, string? text) =>
            refusals.AddRange(guard.Check(text).Select(f => new FieldFinding(field, label, f.Start, f.Length)));

        Check("synthese", "synthèse générale", texts.SyntheseInClear);
        Check("prochainesEtapes", "prochaines étapes", texts.ProchainesEtapesInClear);
        var pseudonyms = sources.Situations.ToDictionary(s => s.Id, s => s.Pseudonym);
        for (var i = 0; i < texts.Notes.Count; i++)
            Check($"notes[{i}].text", $"note sur {pseudonyms.GetValueOrDefault(texts.Notes[i].SituationId, "la situation")}", texts.Notes[i].TextInClear);
        var decisions = texts.GeneralDecisions ?? [];
        var items = sources.Seance.GeneralItems;
        for (var i = 0; i < decisions.Count; i++)
            Check($"releveDecisions[{i}].text", $"décision sur le point {items.FindIndex(x => x.ItemId == decisions[i].ItemId) + 1} de la partie générale",
                decisions[i].TextInClear);
        if (refusals.Count > 0) return new CompteRenduDraft(null, refusals);

        // Strings typed elsewhere (action owners, organisations, guests) are not refused here but masked if they name someone.
        string Mask(string value) => guard.Check(value).Count == 0 ? value : Masked;
        Participation Of(string organisation, string function) => new(Mask(organisation), Mask(function));
        static IReadOnlyList<Participation> Distinct(IEnumerable<Participation> all) =>
            [.. all.Distinct().OrderBy(p => p.Organisation, StringComparer.CurrentCulture).ThenBy(p => p.Function, StringComparer.CurrentCulture)];

        var notes = texts.Notes.Where(n => !string.IsNullOrWhiteSpace(n.TextInClear)).ToDictionary(n => n.SituationId, n => n.TextInClear!.Trim());
        var examined = sources.Examined.Select(s => Describe(s, sources, notes.GetValueOrDefault(s.Id), Mask)).ToList();
        var postponed = sources.Situations.Where(s => s.Agenda.Any(a => a.SeanceId == sources.Seance.Id && !a.Examined)).Select(s => s.Pseudonym).ToList();

        var content = new CompteRenduContent(
            sources.Council.Name, sources.Group.Name, sources.Seance.Date, number, now,
            Distinct(sources.NominativePart.Select(m => Of(m.Organisation, m.Function))),
            Distinct([.. sources.GeneralPartOnly.Select(m => Of(m.Organisation, m.Function)), .. sources.Seance.Guests.Select(g => Of(g.Organisation, g.Function))]),
            examined, postponed, Trimmed(texts.SyntheseInClear), Trimmed(texts.ProchainesEtapesInClear),
            GeneralPartOf(items, decisions, Mask));
        return new CompteRenduDraft(content, []);
    }

    /// <summary>
    /// The general part's points with the decision taken on each (relevé de décisions); null for a séance without any, so
    /// that such a CR keeps the content (and hash) it had before the general part existed. A point's text passed the guard
    /// when it was added; if it names someone known since, it is masked.
    /// </summary>
    private static IReadOnlyList<GeneralItemInCompteRendu>? GeneralPartOf(IReadOnlyList<GeneralItem> items, IReadOnlyList<GeneralDecisionNote> decisions,
        Func<string, string> mask)
    {
        if (items.Count == 0) return null;
        var byItem = decisions.Where(d => !string.IsNullOrWhiteSpace(d.TextInClear)).ToDictionary(d => d.ItemId, d => d.TextInClear!.Trim());
        return [.. items.Select(i => new GeneralItemInCompteRendu(GeneralPart.GeneralItemKinds.LabelOf(i.Kind), mask(i.Text), byItem.GetValueOrDefault(i.ItemId)))];
    }

    /// <summary>Loads the sources and drafts: the whole generation, without recording it.</summary>
    public async Task<CompteRenduDraft> PrepareAsync(IQuerySession session, Seance seance, CompteRenduTexts texts, int number, DateTimeOffset now,
        CancellationToken cancellation = default) =>
        Draft(await LoadAsync(session, seance, texts, cancellation), texts, number, now);

    private SituationInCompteRendu Describe(Situation s, CompteRenduSources sources, string? note, Func<string, string> mask)
    {
        var seanceId = sources.Seance.Id;
        var index = s.Examinations.FindIndex(x => x.SeanceId == seanceId);
        var examination = index >= 0 ? s.Examinations[index] : null;
        var next = index >= 0 && index + 1 < s.Examinations.Count ? s.Examinations[index + 1].At : (DateTimeOffset?)null;
        // The actions decided at this examination: assigned after it, before the situation's next examination.
        var actions = examination is null
            ? []
            : s.Actions.Where(a => a.AssignedAt >= examination.At && (next is null || a.AssignedAt < next))
                .OrderBy(a => a.DueOn)
                .Select(a => new ActionInCompteRendu(policy.ActionKinds.LabelOf(a.Kind), mask(a.OwnerOrganisation), mask(a.OwnerRole), a.DueOn,
                    policy.ActionStatuses.LabelOf(a.Status)))
                .ToList();
        var followed = s.PersonRoles.Zip(s.AgeBands).Where(p => p.First == PersonRoles.Followed).Select(p => p.Second).ToList();
        return new SituationInCompteRendu(
            s.Pseudonym,
            [.. followed.Select(code => policy.AgeBands.FirstOrDefault(b => b.Code == code)?.Label ?? code)],
            [.. s.Reasons.Select(policy.ReferralReasons.LabelOf)],
            sources.Council.Sectors.FirstOrDefault(x => x.Code == s.Sector)?.Label ?? s.Sector,
            [.. (examination?.DecisionKinds ?? []).Select(policy.DecisionKinds.LabelOf)],
            actions,
            note);
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
