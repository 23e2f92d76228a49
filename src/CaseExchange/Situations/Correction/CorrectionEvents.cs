using CaseExchange.Protection;
using CaseExchange.Situations.Referral;

namespace CaseExchange.Situations.Correction;

// Rectification and additions (RGPD, article 16; charte: the coordonnateur orders rectification). Append-only: the
// referral's events stay as they were; each correction or addition is a new event whose nominative values are sealed
// under the situation's key. In clear: ids, the codes of the corrected fields, an age band, the actor and the instant.

/// <summary>
/// Some fields of one person's identity were rectified. <c>Correction</c> seals an <see cref="IdentityCorrection"/> (the
/// new values only; the old ones are those of the earlier events). <c>Fields</c> are field codes (<see cref="IdentityFields"/>),
/// <c>AgeBand</c> the person's band at referral recomputed from the birth date now in force.
/// </summary>
public sealed record IdentityCorrected(
    Guid SituationId, Guid PersonId, IReadOnlyList<string> Fields, string AgeBand, SealedText Correction, Guid CorrectedBy, DateTimeOffset At);

/// <summary>A person concerned was added to the situation after its referral (identity sealed, role and age band in clear).</summary>
public sealed record PersonAddedToSituation(Guid SituationId, SealedPerson Person, Guid AddedBy, DateTimeOffset At);

/// <summary>A dated fact was added to the situation: its date and text are sealed together (<see cref="DatedFact"/>).</summary>
public sealed record FactAddedToSituation(Guid SituationId, Guid FactId, SealedText Fact, Guid AddedBy, DateTimeOffset At);

/// <summary>The fields of an identity that a rectification may change, as codes (the charter's identityFields).</summary>
public static class IdentityFields
{
    public const string Nom = "nom";
    public const string Prenom = "prenom";
    public const string DateNaissance = "dateNaissance";
    public const string Adresse = "adresse";

    public static string Label(string code) => code switch
    {
        Nom => "Nom",
        Prenom => "Prénom",
        DateNaissance => "Date de naissance",
        Adresse => "Adresse",
        _ => code,
    };
}

/// <summary>
/// NOMINATIVE, IN CLEAR until sealed: the new values of a rectification; a null field is unchanged. The coordonnateur
/// who orders it does not read the file: she states only what the person (or the group) asked to rectify.
/// </summary>
public sealed record IdentityCorrection(string? Nom, string? Prenom, DateOnly? DateNaissance, string? Adresse)
{
    public override string ToString() => "[rectification nominative]";

    /// <summary>Pure: the codes of the fields this correction sets.</summary>
    public IReadOnlyList<string> Fields() =>
    [
        .. Nom is null ? Array.Empty<string>() : [IdentityFields.Nom],
        .. Prenom is null ? Array.Empty<string>() : [IdentityFields.Prenom],
        .. DateNaissance is null ? Array.Empty<string>() : [IdentityFields.DateNaissance],
        .. Adresse is null ? Array.Empty<string>() : [IdentityFields.Adresse],
    ];

    /// <summary>Pure: the identity with the corrected fields replaced.</summary>
    public PersonIdentity AppliedTo(PersonIdentity identity) => identity with
    {
        Nom = Nom ?? identity.Nom,
        Prenom = Prenom ?? identity.Prenom,
        DateNaissance = DateNaissance ?? identity.DateNaissance,
        Adresse = Adresse ?? identity.Adresse,
    };
}

/// <summary>NOMINATIVE, IN CLEAR until sealed: a fact and the day it happened.</summary>
public sealed record DatedFact(DateOnly On, string Text)
{
    public override string ToString() => "[fait nominatif]";
}

/// <summary>NOMINATIVE, IN CLEAR: one person concerned as the stream stands now (referral, additions, corrections applied).</summary>
public sealed record CurrentPerson(SealedPerson Sealed, PersonIdentity Identity)
{
    public override string ToString() => "[personne concernée]";
}

/// <summary>
/// Pure: the persons concerned as they stand after every correction and addition, folded from a situation's events in
/// stream order. The openers decrypt (they are given by the caller, who holds an opened situation).
/// </summary>
public static class CurrentPersons
{
    public static IReadOnlyList<CurrentPerson> Of(IEnumerable<object> events, Func<SealedText, PersonIdentity> openIdentity,
        Func<SealedText, IdentityCorrection> openCorrection)
    {
        var persons = new List<CurrentPerson>();
        foreach (var e in events)
        {
            switch (e)
            {
                case SituationReferred r:
                    persons.AddRange(r.Persons.Select(p => new CurrentPerson(p, openIdentity(p.Identity))));
                    break;
                case PersonAddedToSituation a:
                    persons.Add(new CurrentPerson(a.Person, openIdentity(a.Person.Identity)));
                    break;
                case IdentityCorrected c:
                    var i = persons.FindIndex(p => p.Sealed.PersonId == c.PersonId);
                    if (i >= 0)
                        persons[i] = new CurrentPerson(persons[i].Sealed with { AgeBand = c.AgeBand }, openCorrection(c.Correction).AppliedTo(persons[i].Identity));
                    break;
            }
        }
        return persons;
    }

    /// <summary>The event types the fold reads.</summary>
    public static readonly Type[] EventTypes = [typeof(SituationReferred), typeof(PersonAddedToSituation), typeof(IdentityCorrected)];
}
