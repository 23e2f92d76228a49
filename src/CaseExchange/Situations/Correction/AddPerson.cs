using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using CaseExchange.Situations.Referral;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Correction;

/// <summary>NOMINATIVE, IN CLEAR until sealed: a person concerned added to a situation after its referral.</summary>
public sealed record AddPerson(PersonInClear? Person, long? ExpectedVersion)
{
    public override string ToString() => "[personne nominative à ajouter]";
}

public static class AddPersonEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/persons",
        Summary = "Ajouter une personne concernée (identité chiffrée avant enregistrement)"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, AddPerson command, CouncilRequest request, SituationKeys keys, IdentityIndex index) =>
        AddPersonUseCase.HandleAsync(request, situationId, command, keys, index);
}

/// <summary>
/// Adding a person concerned: a member of the holding group who may refer there (<see cref="AccessRules.AddToSituation"/>),
/// while the situation is open. The identity is sealed into a new event, and indexed in the same transaction (duplicates,
/// search and the identity checks of clear texts know the person at once).
/// </summary>
public static class AddPersonUseCase
{
    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, AddPerson command, SituationKeys keys,
        IdentityIndex index)
    {
        var actor = request.Actor;
        var target = await SituationForWriting.FetchAsync(request, situationId, command.ExpectedVersion,
            t => AccessRules.AddToSituation(request.Policy, actor.Member, actor.Council, t.HoldingGroup));
        Check(command, request.Policy, request.Today).ThrowIfAny();
        RequireRoomFor(target.Situation);

        var sealer = await target.SealerAsync(request, keys);
        var added = Decide(target.Situation, command, sealer, request.Policy, actor.Id, request.Now);
        await index.IndexAsync(request.Session, situationId,
            [new PersonToIndex(added.Person.PersonId, added.Person.Role, command.Person!.ToIdentity())], request.Cancellation);
        return target.Append(added);
    }

    /// <summary>Pure, the form: the same fields and rules as a person of a referral.</summary>
    public static ValidationErrors Check(AddPerson command, CharterPolicy policy, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (command.Person is null) return errors.Add("person", "Indiquez la personne concernée à ajouter.");
        command.Person.Validate(errors, "person", today, policy.PersonRoles.Select(r => r.Code).ToHashSet());
        return errors;
    }

    /// <summary>Pure: an open situation, with fewer persons than a referral may hold (409 otherwise).</summary>
    public static void RequireRoomFor(Situation situation)
    {
        SituationForWriting.RequireOpen(situation);
        if (situation.PersonRoles.Count >= ReferSituationUseCase.MaxPersons)
            throw Problems.OutOfOrder($"Une situation concerne au plus {ReferSituationUseCase.MaxPersons} personnes.");
    }

    /// <summary>Pure: the addition event, the identity sealed, role and age band (on the day of the addition) in clear.</summary>
    public static PersonAddedToSituation Decide(Situation situation, AddPerson command, SituationSealer sealer, CharterPolicy policy,
        Guid actorId, DateTimeOffset now)
    {
        RequireRoomFor(situation);
        var person = command.Person!;
        var sealedPerson = new SealedPerson(Guid.CreateVersion7(), person.Role!, policy.AgeBandOf(person.DateNaissance!.Value, DateOnly.FromDateTime(now.UtcDateTime)),
            sealer.SealJson(SealedFields.PersonIdentity, person.ToIdentity()));
        return new PersonAddedToSituation(situation.Id, sealedPerson, actorId, now);
    }
}
