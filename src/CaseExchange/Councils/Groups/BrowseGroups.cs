using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Groups;

public sealed record GroupSummary(Guid GroupId, string Name, string Kind, string? Sector, int MemberCount);

public sealed record GroupMemberView(Guid MemberId, string DisplayName, string Organisation, string Function, string Role);

public sealed record GroupView(Guid GroupId, string Name, string Kind, string? Sector, IReadOnlyList<GroupMemberView> Members, int Version);

public static class BrowseGroupsEndpoints
{
    [WolverineGet("/api/councils/{council}/groups", Summary = "Les groupes de travail"), Tags("Groupes")]
    public static Task<IReadOnlyList<GroupSummary>> List(CouncilRequest request) => BrowseGroupsUseCase.ListAsync(request);

    [WolverineGet("/api/councils/{council}/groups/{groupId}", Summary = "Un groupe de travail et ses membres"), Tags("Groupes")]
    public static Task<GroupView> Get(Guid groupId, CouncilRequest request) => BrowseGroupsUseCase.GetAsync(request, groupId);
}

public static class BrowseGroupsUseCase
{
    public static async Task<IReadOnlyList<GroupSummary>> ListAsync(CouncilRequest request)
    {
        request.Actor.Require(AccessRules.ReadGroups(request.Policy, request.Actor.Member));
        var groups = await request.Session.Query<Group>().OrderBy(g => g.Name).ToListAsync(request.Cancellation);
        return [.. groups.Select(g => new GroupSummary(g.Id, g.Name, g.Kind, g.Sector, g.Members.Count))];
    }

    public static async Task<GroupView> GetAsync(CouncilRequest request, Guid groupId)
    {
        request.Actor.Require(AccessRules.ReadGroups(request.Policy, request.Actor.Member));
        var group = await request.Session.LoadAsync<Group>(groupId, request.Cancellation) ?? throw Problems.NotFound("Groupe de travail introuvable.");
        return await ViewOfAsync(group, request.Session);
    }

    /// <summary>The group as stored, or as it is after a change appended in this request (one version later).</summary>
    public static async Task<GroupView> ViewOfAsync(Group group, IQuerySession session, IReadOnlyDictionary<Guid, string>? membersAfterChange = null)
    {
        var members = membersAfterChange ?? group.Members;
        var loaded = await session.LoadManyAsync<Member>(members.Keys);
        var views = loaded
            .Select(m => new GroupMemberView(m.Id, m.DisplayName, m.Organisation, m.Function, members[m.Id]))
            .OrderBy(v => v.DisplayName)
            .ToList();
        return new GroupView(group.Id, group.Name, group.Kind, group.Sector, views, group.Version + (membersAfterChange is null ? 0 : 1));
    }
}
