using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Groups;

public sealed record AddGroupMember(Guid MemberId, string? Role);

public sealed record ChangeGroupRole(string? Role);

public static class ChangeMembershipEndpoints
{
    [WolverinePost("/api/councils/{council}/groups/{groupId}/members", Summary = "Ajouter un membre au groupe (coordonnateur)"), Tags("Groupes")]
    public static Task<GroupView> AddMember(Guid groupId, AddGroupMember command, CouncilRequest request) =>
        ChangeMembershipUseCase.AddAsync(request, groupId, command);

    [WolverinePut("/api/councils/{council}/groups/{groupId}/members/{memberId}", Summary = "Changer le rôle d'un membre dans le groupe (coordonnateur)"), Tags("Groupes")]
    public static Task<GroupView> ChangeRole(Guid groupId, Guid memberId, ChangeGroupRole command, CouncilRequest request) =>
        ChangeMembershipUseCase.ChangeRoleAsync(request, groupId, memberId, command);

    [WolverineDelete("/api/councils/{council}/groups/{groupId}/members/{memberId}", Summary = "Retirer un membre du groupe (coordonnateur)"), Tags("Groupes")]
    public static Task<GroupView> RemoveMember(Guid groupId, Guid memberId, CouncilRequest request) =>
        ChangeMembershipUseCase.RemoveAsync(request, groupId, memberId);
}

/// <summary>The coordonnateur adds members to a group, changes their role in it (membre, animateur) and removes them.</summary>
public static class ChangeMembershipUseCase
{
    public const string RoleMessage = "Le rôle dans le groupe doit être « membre » ou « animateur ».";

    public static async Task<GroupView> AddAsync(CouncilRequest request, Guid groupId, AddGroupMember command)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageGroups);
        var (stream, group) = await FetchAsync(request, groupId);
        var member = await request.Session.LoadAsync<Member>(command.MemberId, request.Cancellation);
        Check(command, member).ThrowIfAny();
        if (member!.MaireOf is not null)
            throw Problems.OutOfOrder("Ce membre est maire d'une commune du conseil : il ne voit que les statistiques de sa commune et ne rejoint aucun groupe.");
        var joined = DecideAdd(group, command, request.Actor.Id, request.Now);
        stream.AppendOne(joined);
        return await BrowseGroupsUseCase.ViewOfAsync(group, request.Session, new Dictionary<Guid, string>(group.Members) { [command.MemberId] = joined.Role });
    }

    public static async Task<GroupView> ChangeRoleAsync(CouncilRequest request, Guid groupId, Guid memberId, ChangeGroupRole command)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageGroups);
        Check(command).ThrowIfAny();
        var (stream, group) = await FetchAsync(request, groupId);
        var changed = DecideRole(group, memberId, command.Role!, request.Actor.Id, request.Now);
        stream.AppendOne(changed);
        return await BrowseGroupsUseCase.ViewOfAsync(group, request.Session, new Dictionary<Guid, string>(group.Members) { [memberId] = changed.Role });
    }

    public static async Task<GroupView> RemoveAsync(CouncilRequest request, Guid groupId, Guid memberId)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageGroups);
        var (stream, group) = await FetchAsync(request, groupId);
        stream.AppendOne(DecideRemove(group, memberId, request.Actor.Id, request.Now));
        var remaining = new Dictionary<Guid, string>(group.Members);
        remaining.Remove(memberId);
        return await BrowseGroupsUseCase.ViewOfAsync(group, request.Session, remaining);
    }

    /// <summary>An active member of the council, a role of the closed list.</summary>
    public static ValidationErrors Check(AddGroupMember command, Member? member) => new ValidationErrors()
        .When(member is not { Active: true }, "memberId", "Membre actif introuvable dans ce conseil.")
        .When(command.Role is null || !Roles.GroupRoles.Contains(command.Role), "role", RoleMessage);

    public static ValidationErrors Check(ChangeGroupRole command) => new ValidationErrors()
        .When(command.Role is null || !Roles.GroupRoles.Contains(command.Role), "role", RoleMessage);

    public static MemberJoinedGroup DecideAdd(Group group, AddGroupMember command, Guid actorId, DateTimeOffset now)
    {
        if (group.HasMember(command.MemberId)) throw Problems.OutOfOrder("Ce membre fait déjà partie du groupe.");
        if (command.Role == Roles.Animateur) InstanceRules.RequireNoOtherChair(group, command.MemberId);
        return new MemberJoinedGroup(group.Id, command.MemberId, command.Role!, actorId, now);
    }

    public static GroupRoleChanged DecideRole(Group group, Guid memberId, string role, Guid actorId, DateTimeOffset now)
    {
        var current = group.RoleOf(memberId) ?? throw Problems.NotFound("Ce membre ne fait pas partie du groupe.");
        if (current == role) throw Problems.OutOfOrder("Ce membre a déjà ce rôle dans le groupe.");
        if (role == Roles.Animateur) InstanceRules.RequireNoOtherChair(group, memberId);
        return new GroupRoleChanged(group.Id, memberId, role, actorId, now);
    }

    public static MemberLeftGroup DecideRemove(Group group, Guid memberId, Guid actorId, DateTimeOffset now)
    {
        if (!group.HasMember(memberId)) throw Problems.NotFound("Ce membre ne fait pas partie du groupe.");
        return new MemberLeftGroup(group.Id, memberId, actorId, now);
    }

    private static async Task<(IEventStream<Group> Stream, Group Group)> FetchAsync(CouncilRequest request, Guid groupId)
    {
        var stream = await request.Session.Events.FetchForWriting<Group>(groupId, request.Cancellation);
        return (stream, stream.Aggregate ?? throw Problems.NotFound("Groupe de travail introuvable."));
    }
}
