using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Marten;

namespace CaseExchange.Situations.FollowUp;

/// <summary>The référent's follow-ups: the open situations they were designated for, their actions and due dates.</summary>
public sealed class MesSuivisModel : CouncilPageModel
{
    public IReadOnlyList<AnonymisedSituation> Situations { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> GroupNames { get; private set; } = new Dictionary<Guid, string>();

    public int OverdueCount => Situations.SelectMany(s => s.Actions).Count(a => Display.IsOverdue(a.DueOn, a.Status, Today));

    public async Task OnGetAsync()
    {
        var page = await ListSituationsUseCase.HandleAsync(CouncilRequest,
            new SituationFilter(Status: "ouvertes", ReferentId: Actor.Id, Page: 1, PageSize: ListSituationsUseCase.MaxPageSize));
        Situations = [.. page.Items.OrderBy(s => s.Actions.Where(a => a.Status == "en-cours").Select(a => (DateOnly?)a.DueOn).Min() ?? DateOnly.MaxValue)];
        var groups = await Session.LoadManyAsync<Group>(Situations.Select(s => s.GroupId).Distinct());
        GroupNames = groups.ToDictionary(g => g.Id, g => g.Name);
    }

    public string StatusLabel(string status) => Policy.ActionStatuses.LabelOf(status);

    public bool HasOpenActions(AnonymisedSituation s) => s.Actions.Any(a => a.Status == "en-cours");
}
