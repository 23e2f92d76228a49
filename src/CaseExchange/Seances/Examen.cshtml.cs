using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Seances.Agenda;
using CaseExchange.Seances.Viewing;
using CaseExchange.Situations;
using CaseExchange.Situations.Examination;
using CaseExchange.Situations.FollowUp;
using CaseExchange.Situations.Viewing;
using Marten;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Seances;

/// <summary>NOMINATIVE, IN CLEAR until sealed by the use case: the examination's free texts.</summary>
public sealed class ExaminationForm
{
    public string? DiscussionSummary { get; set; }

    /// <summary>Codes of the decisions taken, from the charter's closed list.</summary>
    public List<string> Decisions { get; set; } = [];

    /// <summary>NOMINATIVE, IN CLEAR: an optional detail per decision code.</summary>
    public Dictionary<string, string?> Details { get; set; } = [];

    public long? ExpectedVersion { get; set; }

    public override string ToString() => "[examen nominatif]";
}

/// <summary>NOMINATIVE, IN CLEAR until sealed: one action of a follow-up (its description is free text).</summary>
public sealed class ActionForm
{
    public string? Kind { get; set; }
    public Guid? OwnerPartnerId { get; set; }
    public DateOnly? DueOn { get; set; }
    public string? Description { get; set; }

    public bool IsEmpty => DueOn is null && OwnerPartnerId is null && new[] { Kind, Description }.All(string.IsNullOrWhiteSpace);

    public override string ToString() => "[action nominative]";
}

public sealed class FollowUpAssignmentForm
{
    public Guid? ReferentId { get; set; }
    public List<ActionForm> Actions { get; set; } = [];
    public long? ExpectedVersion { get; set; }
}

/// <summary>
/// One situation of a séance's ODJ: the record of its examination (discussion summary, decisions from the charter's
/// list), then the follow-up the group assigns (référent, actions, due dates). The texts typed here are nominative: the
/// use cases seal them under the situation's key; they never reach the CR, the statistics or this page again.
/// </summary>
public sealed class ExamenModel(SituationKeys keys) : CouncilPageModel
{
    /// <summary>The partner directory, to choose action owners from.</summary>
    public IReadOnlyList<PartnerView> Partners => PartnerDirectory.View(Actor.Council, Policy).Partners;

    public const int ActionBlocks = 2;

    [BindProperty] public ExaminationForm Examen { get; set; } = new();
    [BindProperty] public FollowUpAssignmentForm Suivi { get; set; } = new();

    public SeanceView Seance { get; private set; } = null!;
    public AnonymisedSituation Situation { get; private set; } = null!;
    public AgendaItem Item { get; private set; } = null!;
    public IReadOnlyList<AttendanceCandidate> GroupMembers { get; private set; } = [];
    public string? ReferentName { get; private set; }

    /// <summary>The decisions' kinds recorded at this séance (their details stay sealed).</summary>
    public IReadOnlyList<string>? DecisionsHere { get; private set; }

    public bool CanExamine => !Seance.Closed && Item.State == AgendaItemStates.AExaminer;
    public bool CanAssign => DecisionsHere is not null && Situation.ClosedAt is null && !Situation.NominativeDataErased;

    public async Task OnGetAsync(Guid seanceId, Guid situationId) => await PrepareAsync(seanceId, situationId);

    public async Task<IActionResult> OnPostExamenAsync(Guid seanceId, Guid situationId)
    {
        await LoadAsync(seanceId, situationId);
        var chosen = Examen.Decisions.Where(Policy.DecisionKinds.Has).Distinct().ToList();
        var command = new RecordExamination(seanceId, Examen.DiscussionSummary,
            [.. chosen.Select(code => new DecisionInClear(code, Blank(Examen.Details.GetValueOrDefault(code))))], Examen.ExpectedVersion);
        return await SubmitAsync(
            () => RecordExaminationUseCase.HandleAsync(CouncilRequest, situationId, command, keys),
            examined =>
            {
                Tell($"L'examen de {examined.Pseudonym} est enregistré. Confiez maintenant son suivi si le groupe l'a décidé.");
                return Redirect(Href($"seances/{seanceId}/situations/{situationId}") + "#suivi");
            },
            () => Task.CompletedTask,
            prefix: "Examen",
            mapField: field => MapDecisionField(field, chosen));
    }

    public async Task<IActionResult> OnPostSuiviAsync(Guid seanceId, Guid situationId)
    {
        await LoadAsync(seanceId, situationId);
        var filled = Suivi.Actions.Select((action, block) => (action, block)).Where(a => !a.action.IsEmpty).ToList();
        var command = new AssignFollowUp(Suivi.ReferentId ?? Guid.Empty,
            [.. filled.Select(a => new ActionInClear(a.action.Kind, a.action.OwnerPartnerId, a.action.DueOn, a.action.Description))],
            Suivi.ExpectedVersion);
        return await SubmitAsync(
            () => AssignFollowUpUseCase.HandleAsync(CouncilRequest, situationId, command, keys),
            assigned =>
            {
                Tell($"Le suivi de {assigned.Pseudonym} est confié ({filled.Count} action{(filled.Count > 1 ? "s" : "")}).");
                return Redirect(Href($"seances/{seanceId}") + "#odj");
            },
            () => Task.CompletedTask,
            prefix: "Suivi",
            mapField: field => MapActionField(field, [.. filled.Select(a => a.block)]));
    }

    private async Task PrepareAsync(Guid seanceId, Guid situationId)
    {
        await LoadAsync(seanceId, situationId);
        Examen.ExpectedVersion = Situation.Version;
        Suivi.ExpectedVersion = Situation.Version;
    }

    private async Task LoadAsync(Guid seanceId, Guid situationId)
    {
        Seance = await ViewSeanceUseCase.HandleAsync(CouncilRequest, seanceId);
        Item = Seance.OrdreDuJour.FirstOrDefault(i => i.SituationId == situationId)
               ?? throw Http.Problems.NotFound("Cette situation n'est pas inscrite à l'ordre du jour de cette séance.");
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        var group = await Session.LoadAsync<Group>(Situation.GroupId);
        // The same rule as the examination and follow-up use cases (lead-situations in the holding group, charter signed).
        Actor.Require(AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council, group, Capabilities.LeadSituations));

        var stored = await Session.LoadAsync<Situation>(situationId);
        DecisionsHere = stored?.Examinations.FirstOrDefault(x => x.SeanceId == seanceId)?.DecisionKinds;
        var members = await Session.LoadManyAsync<Member>(group!.Members.Keys);
        var version = Actor.Council.CharterVersionInForce;
        GroupMembers = [.. members.Where(m => m.Active)
            .Select(m => new AttendanceCandidate(m.Id, m.DisplayName, m.Organisation, m.Function, group.RoleOf(m.Id), m.HasSigned(version)))
            .OrderBy(m => m.DisplayName, StringComparer.CurrentCulture)];
        while (Suivi.Actions.Count < ActionBlocks) Suivi.Actions.Add(new ActionForm());
        if (Situation.ReferentId is { } referent)
            ReferentName = members.FirstOrDefault(m => m.Id == referent) is { } m ? $"{m.DisplayName} ({m.Organisation})" : "membre hors du groupe";
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The use case numbers the decisions it was sent; the form has one line per kind of decision.</summary>
    private static string MapDecisionField(string field, IReadOnlyList<string> chosen)
    {
        if (!field.StartsWith("decisions[", StringComparison.Ordinal)) return field;
        var close = field.IndexOf(']');
        if (!int.TryParse(field.AsSpan(10, close - 10), out var index) || index >= chosen.Count) return "decisions";
        return field[(close + 1)..] == ".detail" ? $"details[{chosen[index]}]" : "decisions";
    }

    private static string MapActionField(string field, IReadOnlyList<int> blocks)
    {
        if (!field.StartsWith("actions[", StringComparison.Ordinal)) return field;
        var close = field.IndexOf(']');
        return int.TryParse(field.AsSpan(8, close - 8), out var index) && index < blocks.Count
            ? $"actions[{blocks[index]}]{field[(close + 1)..]}"
            : field;
    }
}
