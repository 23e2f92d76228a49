using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Viewing;

/// <summary>
/// The anonymised list: pseudonyms and coarse attributes only, never a name. A member sees their groups'
/// situations; those who follow the whole council (coordonnateur, auditeur) see every group's.
/// </summary>
public sealed class ListeModel : CouncilPageModel
{
    public const int PageSize = ListSituationsUseCase.MaxPageSize;

    [BindProperty(SupportsGet = true, Name = "groupe")] public Guid? GroupFilter { get; set; }
    [BindProperty(SupportsGet = true, Name = "statut")] public string? StatusFilter { get; set; }

    /// <summary>The groups whose situations this member may list, by id.</summary>
    public IReadOnlyDictionary<Guid, string> Groups { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<AnonymisedSituation> Items { get; private set; } = [];
    public bool Truncated { get; private set; }

    public async Task OnGetAsync()
    {
        // Refused up front, even for a member of no group (who would otherwise get an empty list).
        await AnonymisedScope.RequireAsync(CouncilRequest);
        var wholeCouncil = Me.CouncilRoles.Any(r => Policy.RoleHas(r, Capabilities.ReadAnonymisedSituations));
        Groups = wholeCouncil
            ? (await Session.Query<Group>().OrderBy(g => g.Name).ToListAsync()).ToDictionary(g => g.Id, g => g.Name)
            : Me.Groups.ToDictionary(g => g.GroupId, g => g.Name);
        if (GroupFilter is { } selected && !Groups.ContainsKey(selected)) GroupFilter = null;
        var status = StatusFilter is "ouvertes" or "cloturee" ? StatusFilter : null;

        var items = new List<AnonymisedSituation>();
        // A member's groups are listed one by one: the use case filters by one group at a time.
        IEnumerable<Guid?> groups = GroupFilter is { } one ? [one] : wholeCouncil ? [null] : Groups.Keys.Select(g => (Guid?)g);
        foreach (var group in groups)
        {
            var page = await ListSituationsUseCase.HandleAsync(CouncilRequest, new SituationFilter(group, status, Page: 1, PageSize: PageSize));
            items.AddRange(page.Items);
            Truncated |= page.HasNextPage;
        }
        Items = [.. items.OrderByDescending(s => s.ReferredAt)];
    }

    public string GroupName(Guid groupId) => Groups.TryGetValue(groupId, out var name) ? name : "autre groupe";
}
