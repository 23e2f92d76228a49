using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils;

public sealed record RegisterMember(string? Subject, string? DisplayName, string? Organisation, string? Function, IReadOnlyList<string>? CouncilRoles,
    Guid? Id = null);

public sealed record GrantCouncilRole(string? Role);

public sealed record MemberCreatedResponse(Guid MemberId, string Subject, string DisplayName, string Url) : CreationResponse(Url);

public sealed record MemberView(
    Guid MemberId, string Subject, string DisplayName, string Organisation, string Function,
    IReadOnlyList<string> CouncilRoles, IReadOnlyList<string> SignedCharterVersions, bool Active, int Version)
{
    public static MemberView Of(Member m) =>
        new(m.Id, m.Subject, m.DisplayName, m.Organisation, m.Function, m.CouncilRoles, m.SignedCharterVersions, m.Active, m.Version);
}

public static class MemberEndpoints
{
    /// <summary>Members are listed for those who manage the council and for auditors, who read the journal by member.</summary>
    [WolverineGet("/api/councils/{council}/members", Summary = "Les membres du conseil (coordonnateur, auditeur)"), Tags("Membres")]
    public static async Task<IReadOnlyList<MemberView>> List(string council, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        if (!AccessRules.CouncilCapability(policy, actor.Member, Capabilities.ManageCouncil).Allowed)
            actor.RequireCouncilCapability(policy, Capabilities.ReadJournal);
        var members = await session.Query<Member>().OrderBy(m => m.DisplayName).ToListAsync();
        return [.. members.Select(MemberView.Of)];
    }

    [WolverinePost("/api/councils/{council}/members", Summary = "Inscrire un membre (coordonnateur)"), Tags("Membres")]
    public static async Task<MemberCreatedResponse> Register(string council, RegisterMember command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock,
        [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey = null)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        var memberId = IdempotentCreation.ResourceIdFor("member", session.TenantId, actor.Id, command.Id, idempotencyKey);
        if (await session.LoadAsync<Member>(memberId) is { } existing)
        {
            await IdempotentCreation.RequireSameRequestAsync(session, "member", memberId, actor.Id,
                () => Task.FromResult(IdempotentCreation.PlainFingerprint(command with { Id = null })));
            return new MemberCreatedResponse(existing.Id, existing.Subject, existing.DisplayName, $"/api/councils/{council}/members/{existing.Id}");
        }

        var errors = new ValidationErrors()
            .RequireText(command.Subject, "subject", "L'identifiant de connexion", 200)
            .RequireText(command.DisplayName, "displayName", "Le nom du membre", 120)
            .RequireText(command.Organisation, "organisation", "L'organisation", 120)
            .RequireText(command.Function, "function", "La fonction", 120);
        var roles = command.CouncilRoles ?? [];
        foreach (var role in roles.Where(r => !Roles.CouncilRoles.Contains(r)))
            errors.Add("councilRoles", "Rôle de conseil inconnu : les rôles possibles sont coordonnateur, auditeur et president.");
        if (command.Subject is { Length: > 0 } subject && await session.Query<Member>().AnyAsync(m => m.Subject == subject))
            errors.Add("subject", "Un membre de ce conseil utilise déjà cet identifiant de connexion.");
        errors.ThrowIfAny();

        var registered = new MemberRegistered(memberId, command.Subject!.Trim(), command.DisplayName!.Trim(),
            command.Organisation!.Trim(), command.Function!.Trim(), [.. roles.Distinct()], actor.Id, clock.GetUtcNow());
        session.Events.StartStream<Member>(registered.MemberId, registered);
        IdempotentCreation.Record(session, "member", memberId, actor.Id, IdempotentCreation.PlainFingerprint(command with { Id = null }), registered.At);
        return new MemberCreatedResponse(registered.MemberId, registered.Subject, registered.DisplayName,
            $"/api/councils/{council}/members/{registered.MemberId}");
    }

    [WolverineGet("/api/councils/{council}/members/{memberId}", Summary = "Un membre"), Tags("Membres")]
    public static async Task<MemberView> Get(string council, Guid memberId, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        if (actor.Id != memberId && !AccessRules.CouncilCapability(policy, actor.Member, Capabilities.ManageCouncil).Allowed)
            actor.RequireCouncilCapability(policy, Capabilities.ReadJournal);
        var member = await session.LoadAsync<Member>(memberId) ?? throw Problems.NotFound("Membre introuvable.");
        return MemberView.Of(member);
    }

    [WolverinePost("/api/councils/{council}/members/{memberId}/roles", Summary = "Attribuer un rôle de conseil (coordonnateur)"), Tags("Membres")]
    public static async Task<MemberView> GrantRole(string council, Guid memberId, GrantCouncilRole command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        new ValidationErrors()
            .When(command.Role is null || !Roles.CouncilRoles.Contains(command.Role), "role",
                "Rôle de conseil inconnu : les rôles possibles sont coordonnateur, auditeur et president.")
            .ThrowIfAny();
        var stream = await session.Events.FetchForWriting<Member>(memberId);
        var member = stream.Aggregate is { Active: true } m ? m : throw Problems.NotFound("Membre actif introuvable.");
        if (member.CouncilRoles.Contains(command.Role!)) throw Problems.OutOfOrder("Ce membre a déjà ce rôle.");

        var granted = new CouncilRoleGranted(memberId, command.Role!, actor.Id, clock.GetUtcNow());
        stream.AppendOne(granted);
        return MemberView.Of(member) with { CouncilRoles = [.. member.CouncilRoles, granted.Role], Version = member.Version + 1 };
    }

    [WolverineDelete("/api/councils/{council}/members/{memberId}/roles/{role}", Summary = "Retirer un rôle de conseil (coordonnateur)"), Tags("Membres")]
    public static async Task<MemberView> RevokeRole(string council, Guid memberId, string role, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        var stream = await session.Events.FetchForWriting<Member>(memberId);
        var member = stream.Aggregate is { Active: true } m ? m : throw Problems.NotFound("Membre actif introuvable.");
        if (!member.CouncilRoles.Contains(role)) throw Problems.OutOfOrder("Ce membre n'a pas ce rôle.");
        if (role == Roles.Coordonnateur && memberId == actor.Id)
            throw Problems.OutOfOrder("Un coordonnateur ne peut pas se retirer lui-même ce rôle : demandez-le à un autre coordonnateur.");

        stream.AppendOne(new CouncilRoleRevoked(memberId, role, actor.Id, clock.GetUtcNow()));
        return MemberView.Of(member) with { CouncilRoles = [.. member.CouncilRoles.Where(r => r != role)], Version = member.Version + 1 };
    }

    /// <summary>The member leaves the council: every access ends at once, and they leave every group.</summary>
    [WolverinePost("/api/councils/{council}/members/{memberId}/deactivation", Summary = "Désactiver un membre : fin de tout accès (coordonnateur)"), Tags("Membres")]
    public static async Task<MemberView> Deactivate(string council, Guid memberId, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        if (memberId == actor.Id) throw Problems.OutOfOrder("Vous ne pouvez pas désactiver votre propre compte.");
        var stream = await session.Events.FetchForWriting<Member>(memberId);
        var member = stream.Aggregate is { Active: true } m ? m : throw Problems.NotFound("Membre actif introuvable.");

        var now = clock.GetUtcNow();
        stream.AppendOne(new MemberDeactivated(memberId, actor.Id, now));
        var groups = await session.Query<Group>().Where(g => g.Members.ContainsKey(memberId)).ToListAsync();
        foreach (var group in groups)
            session.Events.Append(group.Id, group.Version + 1, new MemberLeftGroup(group.Id, memberId, actor.Id, now));
        return MemberView.Of(member) with { Active = false, CouncilRoles = [], Version = member.Version + 1 };
    }
}
