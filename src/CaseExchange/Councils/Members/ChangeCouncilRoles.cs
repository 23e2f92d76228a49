using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Members;

public sealed record GrantCouncilRole(string? Role);

public static class ChangeCouncilRolesEndpoints
{
    [WolverinePost("/api/councils/{council}/members/{memberId}/roles", Summary = "Attribuer un rôle de conseil (coordonnateur)"), Tags("Membres")]
    public static Task<MemberView> GrantRole(Guid memberId, GrantCouncilRole command, CouncilRequest request) =>
        ChangeCouncilRolesUseCase.GrantAsync(request, memberId, command);

    [WolverineDelete("/api/councils/{council}/members/{memberId}/roles/{role}", Summary = "Retirer un rôle de conseil (coordonnateur)"), Tags("Membres")]
    public static Task<MemberView> RevokeRole(Guid memberId, string role, CouncilRequest request) =>
        ChangeCouncilRolesUseCase.RevokeAsync(request, memberId, role);
}

/// <summary>The coordonnateur grants and revokes council roles (coordonnateur, auditeur, président).</summary>
public static class ChangeCouncilRolesUseCase
{
    public static async Task<MemberView> GrantAsync(CouncilRequest request, Guid memberId, GrantCouncilRole command)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        Check(command).ThrowIfAny();
        var (stream, member) = await MemberForWriting.FetchActiveAsync(request, memberId);
        var granted = DecideGrant(member, command.Role!, request.Actor.Id, request.Now);
        stream.AppendOne(granted);
        return MemberView.Of(member) with { CouncilRoles = [.. member.CouncilRoles, granted.Role], Version = member.Version + 1 };
    }

    public static async Task<MemberView> RevokeAsync(CouncilRequest request, Guid memberId, string role)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        var (stream, member) = await MemberForWriting.FetchActiveAsync(request, memberId);
        stream.AppendOne(DecideRevoke(member, role, request.Actor.Id, request.Now));
        return MemberView.Of(member) with { CouncilRoles = [.. member.CouncilRoles.Where(r => r != role)], Version = member.Version + 1 };
    }

    public static ValidationErrors Check(GrantCouncilRole command) => new ValidationErrors()
        .When(command.Role is null || !Roles.CouncilRoles.Contains(command.Role), "role",
            "Rôle de conseil inconnu : les rôles possibles sont coordonnateur, auditeur et president.");

    public static CouncilRoleGranted DecideGrant(Member member, string role, Guid actorId, DateTimeOffset now)
    {
        if (member.CouncilRoles.Contains(role)) throw Problems.OutOfOrder("Ce membre a déjà ce rôle.");
        return new CouncilRoleGranted(member.Id, role, actorId, now);
    }

    /// <summary>A coordonnateur cannot drop their own role: the council would risk having none.</summary>
    public static CouncilRoleRevoked DecideRevoke(Member member, string role, Guid actorId, DateTimeOffset now)
    {
        if (!member.CouncilRoles.Contains(role)) throw Problems.OutOfOrder("Ce membre n'a pas ce rôle.");
        if (role == Roles.Coordonnateur && member.Id == actorId)
            throw Problems.OutOfOrder("Un coordonnateur ne peut pas se retirer lui-même ce rôle : demandez-le à un autre coordonnateur.");
        return new CouncilRoleRevoked(member.Id, role, actorId, now);
    }
}

/// <summary>The fetch-for-writing preamble of the member use cases: an active member of the council, or a 404.</summary>
public static class MemberForWriting
{
    public static async Task<(JasperFx.Events.IEventStream<Member> Stream, Member Member)> FetchActiveAsync(CouncilRequest request, Guid memberId)
    {
        var stream = await request.Session.Events.FetchForWriting<Member>(memberId, request.Cancellation);
        var member = stream.Aggregate is { Active: true } m ? m : throw Problems.NotFound("Membre actif introuvable.");
        return (stream, member);
    }

    /// <summary>Any member the council registered, active, suspended or deactivated (404 otherwise): their state is judged by the decision.</summary>
    public static async Task<(JasperFx.Events.IEventStream<Member> Stream, Member Member)> FetchRegisteredAsync(CouncilRequest request, Guid memberId)
    {
        var stream = await request.Session.Events.FetchForWriting<Member>(memberId, request.Cancellation);
        var member = stream.Aggregate ?? throw Problems.NotFound("Membre introuvable dans ce conseil.");
        return (stream, member);
    }
}
