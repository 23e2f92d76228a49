using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Members;

public sealed record DesignateMaire(string? Commune);

public static class DesignateMaireEndpoints
{
    [WolverinePost("/api/councils/{council}/members/{memberId}/maire", Summary = "Désigner un membre maire d'une commune du conseil (coordonnateur)"), Tags("Membres")]
    public static Task<MemberView> Designate(Guid memberId, DesignateMaire command, CouncilRequest request) =>
        DesignateMaireUseCase.DesignateAsync(request, memberId, command);

    [WolverineDelete("/api/councils/{council}/members/{memberId}/maire", Summary = "Mettre fin à la désignation d'un maire (coordonnateur)"), Tags("Membres")]
    public static Task<MemberView> End(Guid memberId, CouncilRequest request) => DesignateMaireUseCase.EndAsync(request, memberId);
}

/// <summary>
/// In an intercommunal council, the coordonnateur designates one maire per commune (an administrative act): the maire reads
/// the statistics of his commune only, and nothing nominative (charter rule 7, as the président). A member of a group is
/// not designated (his group role reaches nominative files), and a maire does not join a group.
/// </summary>
public static class DesignateMaireUseCase
{
    public static async Task<MemberView> DesignateAsync(CouncilRequest request, Guid memberId, DesignateMaire command)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        Check(command, request.Actor.Council, request.Policy).ThrowIfAny();
        var (stream, member) = await MemberForWriting.FetchActiveAsync(request, memberId);
        var others = await request.Session.Query<Member>().Where(m => m.Active && m.MaireOf == command.Commune && m.Id != memberId).ToListAsync(request.Cancellation);
        var groups = await request.Session.Query<Group>().ToListAsync(request.Cancellation);
        var designated = Decide(member, command.Commune!, others.Count > 0, groups.Any(g => g.HasMember(memberId)), request.Actor.Id, request.Now);
        stream.AppendOne(designated);
        return MemberView.Of(member) with
        {
            CouncilRoles = [.. member.CouncilRoles.Where(r => r != Roles.Maire), Roles.Maire], MaireOf = designated.Commune, Version = member.Version + 1,
        };
    }

    public static async Task<MemberView> EndAsync(CouncilRequest request, Guid memberId)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        var (stream, member) = await MemberForWriting.FetchActiveAsync(request, memberId);
        if (member.MaireOf is not { } commune) throw Problems.OutOfOrder("Ce membre n'est maire d'aucune commune du conseil.");
        stream.AppendOne(new MaireDesignationEnded(member.Id, commune, request.Actor.Id, request.Now));
        return MemberView.Of(member) with { CouncilRoles = [.. member.CouncilRoles.Where(r => r != Roles.Maire)], MaireOf = null, Version = member.Version + 1 };
    }

    /// <summary>A commune of the council (one its sectors name), and a charter that provides for the maire's role.</summary>
    public static ValidationErrors Check(DesignateMaire command, Council council, CharterPolicy policy) => new ValidationErrors()
        .When(string.IsNullOrWhiteSpace(command.Commune), "commune", "Indiquez la commune.")
        .When(!string.IsNullOrWhiteSpace(command.Commune) && !council.HasCommune(command.Commune), "commune",
            "Cette commune n'est celle d'aucun secteur du conseil : indiquez d'abord la commune des secteurs.")
        .When(!policy.RoleHas(Roles.Maire, Capabilities.ReadCommuneStatistics), "commune", "La charte en vigueur ne prévoit pas de rôle de maire d'une commune.");

    /// <summary>One maire per commune, one commune per maire, and no maire among the groups' members.</summary>
    public static MaireDesignated Decide(Member member, string commune, bool communeHasAMaire, bool memberOfAGroup, Guid actorId, DateTimeOffset now)
    {
        if (member.MaireOf == commune) throw Problems.OutOfOrder("Ce membre est déjà maire de cette commune.");
        if (member.MaireOf is not null) throw Problems.OutOfOrder("Ce membre est déjà maire d'une autre commune du conseil : mettez d'abord fin à cette désignation.");
        if (communeHasAMaire) throw Problems.OutOfOrder("Cette commune a déjà son maire : mettez d'abord fin à sa désignation.");
        if (memberOfAGroup)
            throw Problems.OutOfOrder("Ce membre fait partie d'un groupe, où il accède aux dossiers nominatifs : le maire ne voit que les statistiques de sa commune. Retirez-le d'abord des groupes.");
        return new MaireDesignated(member.Id, commune, actorId, now);
    }
}
