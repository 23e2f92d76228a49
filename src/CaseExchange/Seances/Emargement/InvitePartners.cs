using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Emargement;

/// <summary>The partners of the council's directory invited to the general part (organisation and role, never a private name).</summary>
public sealed record InvitePartners(IReadOnlyList<Guid>? PartnerIds, long? ExpectedVersion);

public sealed record InvitationsResponse(Guid SeanceId, int Invited, long Version);

public static class InvitePartnersEndpoint
{
    [WolverinePut("/api/councils/{council}/seances/{seanceId}/invitations", Summary = "Inviter des partenaires de l'annuaire à la partie générale"), Tags("Séances")]
    public static Task<InvitationsResponse> Put(Guid seanceId, InvitePartners command, CouncilRequest request) =>
        InvitePartnersUseCase.HandleAsync(request, seanceId, command);
}

/// <summary>Who is invited to the general part (règlement intérieur, article 8): replaces the previous list; printed on the feuille d'émargement.</summary>
public static class InvitePartnersUseCase
{
    public const int MaxInvited = 30;

    public static async Task<InvitationsResponse> HandleAsync(CouncilRequest request, Guid seanceId, InvitePartners command)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        Check(command, request.Actor.Council, request.Policy).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        var invited = Decide(target.Seance, command, request.Actor.Council, request.Policy, request.Actor.Id, request.Now);
        return new InvitationsResponse(seanceId, invited.Guests.Count, target.Append(invited));
    }

    /// <summary>Partners of the directory, each once, at most <see cref="MaxInvited"/>; an empty list withdraws every invitation.</summary>
    public static ValidationErrors Check(InvitePartners command, Council council, CharterPolicy policy)
    {
        var ids = command.PartnerIds ?? [];
        var errors = SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion)
            .When(ids.Count > MaxInvited, "partnerIds", $"Au plus {MaxInvited} partenaires invités.")
            .When(ids.Distinct().Count() != ids.Count, "partnerIds", "Un même partenaire ne peut être invité qu'une fois.");
        for (var i = 0; i < ids.Count; i++) PartnerDirectory.Resolve(council, policy, ids[i], $"partnerIds[{i}]", errors);
        return errors;
    }

    public static SeancePartnersInvited Decide(Seance seance, InvitePartners command, Council council, CharterPolicy policy, Guid by, DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, "ses invitations ne peuvent plus changer.");
        var ignored = new ValidationErrors();
        var guests = (command.PartnerIds ?? []).Select(id => PartnerDirectory.Resolve(council, policy, id, "partnerIds", ignored))
            .Select(p => new Guest(p.Organisation, p.Role)).ToList();
        return new SeancePartnersInvited(seance.Id, [.. (command.PartnerIds ?? [])], guests, by, now);
    }
}
