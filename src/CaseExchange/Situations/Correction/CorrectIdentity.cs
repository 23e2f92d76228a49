using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Correction;

/// <summary>
/// NOMINATIVE, IN CLEAR until sealed: a rectification of one person's identity (RGPD, article 16). Only the fields given
/// change; a field left out (or blank) keeps the value recorded.
/// </summary>
public sealed record CorrectIdentity(Guid? PersonId, string? Nom, string? Prenom, DateOnly? DateNaissance, string? Adresse, long? ExpectedVersion)
{
    public override string ToString() => "[rectification nominative]";

    /// <summary>Pure: the new values, trimmed, a blank field meaning "unchanged".</summary>
    public IdentityCorrection Correction() => new(Clean(Nom), Clean(Prenom), DateNaissance, Clean(Adresse));

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class CorrectIdentityEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/identity-corrections",
        Summary = "Rectifier l'identité d'une personne concernée (RGPD, art. 16 ; ordonnée par le coordonnateur)"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, CorrectIdentity command, CouncilRequest request, SituationKeys keys,
        PersonsConcerned persons, IdentityIndex index) =>
        CorrectIdentityUseCase.HandleAsync(request, situationId, command, keys, persons, index);
}

/// <summary>
/// Rectifying an identity: the coordonnateur orders it (<see cref="AccessRules.CorrectIdentity"/>), for a person of a
/// situation whose data is still held (an archived situation too: the right applies while data is kept). A new sealed
/// event is appended (the referral stays as it was); the identity index follows in the same transaction: the person is
/// found under the new values and no longer under the old ones. Computing the new terms decrypts the person server-side,
/// journalled as a check (<see cref="JournalActions.Checks.IdentityCorrection"/>); nothing of it is returned.
/// </summary>
public static class CorrectIdentityUseCase
{
    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, CorrectIdentity command,
        SituationKeys keys, PersonsConcerned persons, IdentityIndex index)
    {
        var actor = request.Actor;
        var target = await SituationForWriting.FetchAsync(request, situationId, command.ExpectedVersion,
            _ => AccessRules.CorrectIdentity(request.Policy, actor.Member, actor.Council));
        Check(command, target.Situation, request.Today).ThrowIfAny();
        RequireCorrectable(target.Situation);

        var sealer = await target.SealerAsync(request, keys);
        var current = await persons.OpenAsync(request.Session, [target.Situation],
            ServerCheck.For(actor, JournalActions.Checks.IdentityCorrection), request.Cancellation);
        var person = current.Single(p => p.Sealed.PersonId == command.PersonId);
        var corrected = Decide(target.Situation, person.Sealed, command.Correction(), sealer, request.Policy, actor.Id, request.Now);
        await index.ReplaceAsync(request.Session, situationId,
            new PersonToIndex(person.Sealed.PersonId, person.Sealed.Role, command.Correction().AppliedTo(person.Identity)), request.Cancellation);
        return target.Append(corrected);
    }

    /// <summary>
    /// Pure, the form: a person of this situation, at least one field, each plausible. Whether a value equals the one
    /// recorded is never said: the coordonnateur does not read the file, and the answer would tell her.
    /// </summary>
    public static ValidationErrors Check(CorrectIdentity command, Situation situation, DateOnly today)
    {
        var errors = new ValidationErrors()
            .When(command.PersonId is not { } id || situation.Notices.All(n => n.PersonId != id), "personId",
                "Choisissez une personne concernée par cette situation.")
            .When(command.Correction().Fields().Count == 0, "nom", "Indiquez au moins une valeur à rectifier (nom, prénom, date de naissance ou adresse).")
            .OptionalText(command.Nom, "nom", "Le nom", 100)
            .OptionalText(command.Prenom, "prenom", "Le prénom", 100)
            .OptionalText(command.Adresse, "adresse", "L'adresse", 300);
        if (command.DateNaissance is { } born)
        {
            errors.When(born > today, "dateNaissance", "La date de naissance ne peut pas être dans le futur.");
            errors.When(born < today.AddYears(-120), "dateNaissance", "La date de naissance n'est pas plausible.");
        }
        return errors;
    }

    /// <summary>Pure: an erased situation holds nothing left to rectify (409). A closed one (archive) can still be rectified.</summary>
    public static void RequireCorrectable(Situation situation)
    {
        if (situation.IsErased) throw Problems.OutOfOrder("Les données nominatives de cette situation ont été effacées : il n'y a plus rien à rectifier.");
    }

    /// <summary>
    /// Pure: the rectification event. The new values are sealed; in clear, the codes of the fields changed and the age band
    /// (at referral, like the referral's own) recomputed from the birth date now in force.
    /// </summary>
    public static IdentityCorrected Decide(Situation situation, SealedPerson person, IdentityCorrection correction, SituationSealer sealer,
        CharterPolicy policy, Guid actorId, DateTimeOffset now)
    {
        RequireCorrectable(situation);
        var ageBand = correction.DateNaissance is { } born
            ? policy.AgeBandOf(born, DateOnly.FromDateTime(situation.ReferredAt.UtcDateTime))
            : person.AgeBand;
        return new IdentityCorrected(situation.Id, person.PersonId, correction.Fields(), ageBand,
            sealer.SealJson(SealedFields.IdentityCorrection, correction), actorId, now);
    }
}
