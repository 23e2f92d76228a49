using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Seances.Viewing;
using CaseExchange.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Seances.Scheduling;

public sealed class ScheduleForm
{
    public DateOnly? Date { get; set; }
    public TimeOnly? Time { get; set; }
    public string? Place { get; set; }
}

/// <summary>
/// The séances of one group, and the form that schedules one. Reached by those who prepare séances: the coordonnateur
/// for every group, an animateur for their groups, under the charter.
/// </summary>
public sealed class ListeModel : CouncilPageModel
{
    [BindProperty(SupportsGet = true, Name = "groupe")] public Guid? GroupId { get; set; }
    [BindProperty] public ScheduleForm Input { get; set; } = new();

    /// <summary>The groups whose séances this member may prepare, by name.</summary>
    public IReadOnlyList<Group> Groups { get; private set; } = [];
    public Group? Selected { get; private set; }
    public IReadOnlyList<SeanceSummary> Seances { get; private set; } = [];

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Input.Time = new TimeOnly(14, 0);
    }

    public async Task<IActionResult> OnPostAsync([FromServices] IdentityIndex index, [FromServices] AccessJournal journal)
    {
        await LoadAsync();
        if (Input.Date is not null && Input.Time is null) ModelState.AddModelError("Input.Time", "Indiquez l'heure de la séance.");
        DateTimeOffset? date = Input.Date is { } day ? Display.At(day, Input.Time ?? TimeOnly.MinValue) : null;
        return await SubmitAsync(
            () => ScheduleSeanceUseCase.HandleAsync(CouncilRequest, Selected?.Id ?? Guid.Empty, new ScheduleSeance(date, Place: Input.Place), index, journal),
            created =>
            {
                Tell($"La séance du {Display.DateTime(created.Date)} est planifiée. Inscrivez les situations à son ordre du jour.");
                return Redirect(Href($"seances/{created.SeanceId}"));
            },
            () => Task.CompletedTask);
    }

    public string StateOf(SeanceSummary s) =>
        s.Cancelled ? "Annulée" : s.Closed ? "Close" : Display.Day(s.Date) < Today ? "Tenue, à clore" : Display.Day(s.Date) == Today ? "Aujourd'hui" : "À venir";

    /// <summary>The same rule as the use cases (prepare-seances in the group, charter signed): refused up front rather than after typing.</summary>
    private async Task LoadAsync()
    {
        var wholeCouncil = HasCouncilCapability(Capabilities.PrepareSeances);
        var candidates = wholeCouncil
            ? await Session.Query<Group>().OrderBy(g => g.Name).ToListAsync()
            : (await Session.LoadManyAsync<Group>(GroupsWhereICan(Capabilities.PrepareSeances).Select(g => g.GroupId))).OrderBy(g => g.Name).ToList();
        var verdicts = candidates.Select(g => (Group: g, Verdict: AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council, g, Capabilities.PrepareSeances))).ToList();
        Groups = [.. verdicts.Where(v => v.Verdict.Allowed).Select(v => v.Group)];
        if (Groups.Count == 0)
        {
            Actor.Require(verdicts.Select(v => v.Verdict).FirstOrDefault(v => !v.Allowed) ?? AccessVerdict.Refused(Refusals.RoleNotAllowed));
            return;
        }
        Selected = Groups.FirstOrDefault(g => g.Id == GroupId) ?? Groups[0];
        GroupId = Selected.Id;
        Seances = await ListSeancesUseCase.HandleAsync(CouncilRequest, Selected.Id);
    }
}
