using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Referral;

/// <summary>
/// A signalement. NOMINATIVE, IN CLEAR until sealed by the endpoint: never log it. <c>Id</c>, optional, is the new
/// situation's id chosen by the client, so that a retry cannot refer the same person twice (see IdempotentCreation).
/// </summary>
public sealed record ReferSituation(
    Guid GroupId,
    IReadOnlyList<string>? Reasons,
    string? Sector,
    string? Urgency,
    IReadOnlyList<PersonInClear>? Persons,
    [property: JsonPropertyName("facts")] string? FactsInClear,
    Guid? Id = null)
{
    public override string ToString() => "[signalement nominatif]";
}

public sealed record SituationCreatedResponse(Guid SituationId, string Pseudonym, long Version, string Url) : CreationResponse(Url);

public static class ReferSituationEndpoint
{
    [WolverinePost("/api/councils/{council}/situations", Summary = "Signaler une situation (données nominatives chiffrées avant enregistrement)"), Tags("Situations")]
    public static Task<SituationCreatedResponse> Post(ReferSituation command, CouncilRequest request, SituationKeys keys, Pseudonyms pseudonyms,
        IdentityIndex index, [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey = null) =>
        ReferSituationUseCase.HandleAsync(request, command, keys, pseudonyms, index, idempotencyKey);
}

/// <summary>Referring a situation: a member of the group, under the charter; identities and facts sealed before the append.</summary>
public static class ReferSituationUseCase
{
    public const int MaxPersons = 12;
    public const int MaxFactsLength = 4000;

    public static async Task<SituationCreatedResponse> HandleAsync(CouncilRequest request, ReferSituation command, SituationKeys keys,
        Pseudonyms pseudonyms, IdentityIndex index, string? idempotencyKey = null)
    {
        var (session, actor, policy) = (request.Session, request.Actor, request.Policy);
        var situationId = IdempotentCreation.ResourceIdFor(ReceiptKind, session.TenantId, actor.Id, command.Id, idempotencyKey);
        // The group and the retry check in one round trip (the request context read member and council in one).
        var batch = session.CreateBatchQuery();
        var groupLookup = command.GroupId == Guid.Empty ? Task.FromResult<Group?>(null) : batch.Load<Group>(command.GroupId);
        var existingLookup = batch.Load<Situation>(situationId);
        await batch.Execute(request.Cancellation);
        var (group, existing) = (await groupLookup, await existingLookup);
        if (group is not null)
            actor.Require(AccessRules.ActInGroup(policy, actor.Member, actor.Council, group, Capabilities.ReferSituations));

        var url = $"/api/councils/{request.Council}/situations/{situationId}";
        if (existing is not null)
        {
            // A retry (the first answer was lost): the same situation, never a second referral of the same person.
            await IdempotentCreation.RequireSameRequestAsync(session, ReceiptKind, situationId, actor.Id,
                async () => Fingerprint(command, await keys.SealerForAsync(session, situationId)));
            return new SituationCreatedResponse(situationId, existing.Pseudonym, existing.Version, url);
        }

        var now = request.Now;
        Check(command, group, actor.Council, policy, request.Today).ThrowIfAny();
        InstanceRules.RequireNominative(policy, group!);

        var pseudonym = await pseudonyms.NextAsync(session.TenantId, now.Year);
        var cipher = keys.CreateFor(session, situationId, now);
        var referred = Decide(command, situationId, pseudonym, actor.Member, cipher, policy, now);
        session.Events.StartStream<Situation>(situationId, referred);
        IdempotentCreation.Record(session, ReceiptKind, situationId, actor.Id, Fingerprint(command, cipher), now);
        await index.IndexAsync(session, situationId, PersonsToIndex(command, referred));

        return new SituationCreatedResponse(situationId, pseudonym, 1, url);
    }

    private const string ReceiptKind = "situation";

    /// <summary>The request as the client sent it (its id aside), keyed by the situation's own key: nominative, so never a plain hash.</summary>
    private static string Fingerprint(ReferSituation command, SituationSealer sealer) =>
        sealer.Fingerprint("referral.request", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(command with { Id = null })).Value;

    /// <summary>The referral event: identities and facts sealed, only codes and age bands in clear.</summary>
    public static SituationReferred Decide(ReferSituation command, Guid situationId, string pseudonym, Member signaller,
        SituationSealer cipher, CharterPolicy policy, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var persons = command.Persons!.Select(p => new SealedPerson(
                Guid.CreateVersion7(), p.Role!, policy.AgeBandOf(p.DateNaissance!.Value, today),
                cipher.SealJson(SealedFields.PersonIdentity, p.ToIdentity())))
            .ToList();
        return new SituationReferred(situationId, pseudonym, command.GroupId, [.. command.Reasons!.Distinct()], command.Sector!,
            command.Urgency!, signaller.Id, signaller.Organisation, persons, cipher.Seal(SealedFields.Facts, command.FactsInClear!.Trim()), now);
    }

    /// <summary>The persons of a referral, for the identity index (in clear, in memory, hashed at once).</summary>
    public static IEnumerable<PersonToIndex> PersonsToIndex(ReferSituation command, SituationReferred referred) =>
        command.Persons!.Zip(referred.Persons, (clear, sealedPerson) => new PersonToIndex(sealedPerson.PersonId, sealedPerson.Role, clear.ToIdentity()));

    public static ValidationErrors Check(ReferSituation command, Group? group, Council council, CharterPolicy policy, DateOnly today)
    {
        var errors = new ValidationErrors()
            .When(group is null, "groupId", "Choisissez un groupe de travail existant de ce conseil.")
            .When(command.Reasons is not { Count: > 0 }, "reasons", "Cochez au moins un motif de signalement.")
            .When(command.Reasons?.Any(r => !policy.ReferralReasons.Has(r)) == true, "reasons", "Les motifs doivent être choisis dans la liste fermée de la charte.")
            .When(!council.HasSector(command.Sector), "sector", "Choisissez un secteur du conseil.")
            .When(!policy.Urgencies.Has(command.Urgency), "urgency", "Choisissez un degré d'urgence dans la liste.")
            .RequireText(command.FactsInClear, "facts", "Le résumé des faits", MaxFactsLength);

        if (command.Persons is not { Count: > 0 })
            errors.Add("persons", "Indiquez au moins une personne concernée.");
        else if (command.Persons.Count > MaxPersons)
            errors.Add("persons", $"Une situation concerne au plus {MaxPersons} personnes.");
        else
        {
            var roles = policy.PersonRoles.Select(r => r.Code).ToHashSet();
            for (var i = 0; i < command.Persons.Count; i++)
                command.Persons[i].Validate(errors, $"persons[{i}]", today, roles);
            errors.When(command.Persons.All(p => p.Role != PersonRoles.Followed), "persons", "Au moins une personne doit être la personne suivie.");
        }
        return errors;
    }
}
