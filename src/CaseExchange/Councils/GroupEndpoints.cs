using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils;

public sealed record CreateGroup(string? Name, string? Kind, string? Sector, Guid? Id = null);

public sealed record AddGroupMember(Guid MemberId, string? Role);

public sealed record ChangeGroupRole(string? Role);

public sealed record GroupSummary(Guid GroupId, string Name, string Kind, string? Sector, int MemberCount);

public sealed record GroupMemberView(Guid MemberId, string DisplayName, string Organisation, string Function, string Role);

public sealed record GroupCreatedResponse(Guid GroupId, string Name, string Url) : CreationResponse(Url);

public sealed record GroupView(Guid GroupId, string Name, string Kind, string? Sector, IReadOnlyList<GroupMemberView> Members, int Version);

public static class GroupEndpoints
{
    [WolverineGet("/api/councils/{council}/groups", Summary = "Les groupes de travail"), Tags("Groupes")]
    public static async Task<IReadOnlyList<GroupSummary>> List(string council, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.Require(AccessRules.ReadGroups(policy, actor.Member));
        var groups = await session.Query<Group>().OrderBy(g => g.Name).ToListAsync();
        return [.. groups.Select(g => new GroupSummary(g.Id, g.Name, g.Kind, g.Sector, g.Members.Count))];
    }

    [WolverineGet("/api/councils/{council}/groups/{groupId}", Summary = "Un groupe de travail et ses membres"), Tags("Groupes")]
    public static async Task<GroupView> Get(string council, Guid groupId, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.Require(AccessRules.ReadGroups(policy, actor.Member));
        var group = await session.LoadAsync<Group>(groupId) ?? throw Problems.NotFound("Groupe de travail introuvable.");
        return await ViewOf(group, session);
    }

    [WolverinePost("/api/councils/{council}/groups", Summary = "Créer un groupe de travail (coordonnateur)"), Tags("Groupes")]
    public static async Task<GroupCreatedResponse> Create(string council, CreateGroup command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock,
        [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey = null)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageGroups);
        var groupId = IdempotentCreation.ResourceIdFor("group", session.TenantId, actor.Id, command.Id, idempotencyKey);
        if (await session.LoadAsync<Group>(groupId) is { } existing)
        {
            await IdempotentCreation.RequireSameRequestAsync(session, "group", groupId, actor.Id,
                () => Task.FromResult(IdempotentCreation.PlainFingerprint(command with { Id = null })));
            return new GroupCreatedResponse(existing.Id, existing.Name, $"/api/councils/{council}/groups/{existing.Id}");
        }
        var errors = new ValidationErrors()
            .RequireText(command.Name, "name", "Le nom du groupe", 120)
            .When(command.Kind is null || !GroupKinds.All.Contains(command.Kind), "kind", "Le type de groupe doit être « thematique » ou « territorial ».")
            .When(command.Kind == GroupKinds.Territorial && !actor.Council.HasSector(command.Sector), "sector", "Un groupe territorial doit désigner un secteur du conseil.")
            .When(command.Kind == GroupKinds.Thematique && command.Sector is not null, "sector", "Un groupe thématique ne désigne pas de secteur.");
        if (command.Name is { Length: > 0 } name && await session.Query<Group>().AnyAsync(g => g.Name == name.Trim()))
            errors.Add("name", "Un groupe de ce conseil porte déjà ce nom.");
        errors.ThrowIfAny();

        var created = new GroupCreated(groupId, command.Name!.Trim(), command.Kind!, command.Sector, actor.Id, clock.GetUtcNow());
        session.Events.StartStream<Group>(created.GroupId, created);
        IdempotentCreation.Record(session, "group", groupId, actor.Id, IdempotentCreation.PlainFingerprint(command with { Id = null }), created.At);
        return new GroupCreatedResponse(created.GroupId, created.Name, $"/api/councils/{council}/groups/{created.GroupId}");
    }

    [WolverinePost("/api/councils/{council}/groups/{groupId}/members", Summary = "Ajouter un membre au groupe (coordonnateur)"), Tags("Groupes")]
    public static async Task<GroupView> AddMember(string council, Guid groupId, AddGroupMember command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageGroups);
        var stream = await session.Events.FetchForWriting<Group>(groupId);
        var group = stream.Aggregate ?? throw Problems.NotFound("Groupe de travail introuvable.");
        var member = await session.LoadAsync<Member>(command.MemberId);
        new ValidationErrors()
            .When(member is not { Active: true }, "memberId", "Membre actif introuvable dans ce conseil.")
            .When(command.Role is null || !Roles.GroupRoles.Contains(command.Role), "role", "Le rôle dans le groupe doit être « membre » ou « animateur ».")
            .ThrowIfAny();
        if (group.HasMember(command.MemberId)) throw Problems.OutOfOrder("Ce membre fait déjà partie du groupe.");

        var joined = new MemberJoinedGroup(groupId, command.MemberId, command.Role!, actor.Id, clock.GetUtcNow());
        stream.AppendOne(joined);
        return await ViewOf(group, session, new(group.Members) { [command.MemberId] = joined.Role });
    }

    [WolverinePut("/api/councils/{council}/groups/{groupId}/members/{memberId}", Summary = "Changer le rôle d'un membre dans le groupe (coordonnateur)"), Tags("Groupes")]
    public static async Task<GroupView> ChangeRole(string council, Guid groupId, Guid memberId, ChangeGroupRole command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageGroups);
        new ValidationErrors()
            .When(command.Role is null || !Roles.GroupRoles.Contains(command.Role), "role", "Le rôle dans le groupe doit être « membre » ou « animateur ».")
            .ThrowIfAny();
        var stream = await session.Events.FetchForWriting<Group>(groupId);
        var group = stream.Aggregate ?? throw Problems.NotFound("Groupe de travail introuvable.");
        var current = group.RoleOf(memberId) ?? throw Problems.NotFound("Ce membre ne fait pas partie du groupe.");
        if (current == command.Role) throw Problems.OutOfOrder("Ce membre a déjà ce rôle dans le groupe.");

        var changed = new GroupRoleChanged(groupId, memberId, command.Role!, actor.Id, clock.GetUtcNow());
        stream.AppendOne(changed);
        return await ViewOf(group, session, new(group.Members) { [memberId] = changed.Role });
    }

    [WolverineDelete("/api/councils/{council}/groups/{groupId}/members/{memberId}", Summary = "Retirer un membre du groupe (coordonnateur)"), Tags("Groupes")]
    public static async Task<GroupView> RemoveMember(string council, Guid groupId, Guid memberId, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageGroups);
        var stream = await session.Events.FetchForWriting<Group>(groupId);
        var group = stream.Aggregate ?? throw Problems.NotFound("Groupe de travail introuvable.");
        if (!group.HasMember(memberId)) throw Problems.NotFound("Ce membre ne fait pas partie du groupe.");

        var left = new MemberLeftGroup(groupId, memberId, actor.Id, clock.GetUtcNow());
        stream.AppendOne(left);
        var remaining = new Dictionary<Guid, string>(group.Members);
        remaining.Remove(memberId);
        return await ViewOf(group, session, remaining);
    }

    /// <summary>The group as stored, or as it is after a change appended in this request (one version later).</summary>
    private static async Task<GroupView> ViewOf(Group group, IQuerySession session, Dictionary<Guid, string>? membersAfterChange = null)
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
