using CaseExchange.Charter;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseExchange.Seances.CompteRendu;

// What a CR says, frozen at generation. Labels are resolved from the charter's lists at that instant, so that an
// earlier version renders the same later. No field here can hold a name, a birth date or an address of a person
// concerned: situations are pseudonyms and codes, participants are organisations and functions, and the free texts
// passed IdentityTextGuard.

/// <summary>An organisation and a function present at the séance (members are not named: the CR leaves the group).</summary>
public sealed record Participation(string Organisation, string Function);

public sealed record ActionInCompteRendu(string Kind, string OwnerOrganisation, string OwnerRole, DateOnly DueOn, string Status);

public sealed record SituationInCompteRendu(
    string Pseudonym,
    IReadOnlyList<string> AgeBands,
    IReadOnlyList<string> Reasons,
    string Sector,
    IReadOnlyList<string> Decisions,
    IReadOnlyList<ActionInCompteRendu> Actions,
    string? Note);

/// <summary>A point of the general part and the decision recorded for it (relevé de décisions); both passed the identity guard.</summary>
public sealed record GeneralItemInCompteRendu(string Kind, string Text, string? Decision);

public sealed record CompteRenduContent(
    string CouncilName,
    string GroupName,
    DateTimeOffset SeanceDate,
    int Number,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<Participation> NominativePart,
    IReadOnlyList<Participation> GeneralPartOnly,
    IReadOnlyList<SituationInCompteRendu> Examined,
    IReadOnlyList<string> Postponed,
    string? Synthese,
    string? ProchainesEtapes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<GeneralItemInCompteRendu>? GeneralPart = null)
{
    public const string GeneralPartTitle = "Partie générale : relevé de décisions";
    public const string NoDecision = "Pas de décision consignée.";

    public const string Notice =
        "Compte rendu anonymisé : diffusion réservée aux membres du groupe de travail (charte, article 9 ; règlement " +
        "intérieur, article 16). Il ne peut être communiqué aux formations plénière ou restreinte.";

    /// <summary>SHA-256 of the content's JSON: identifies a version, and shows that a downloaded file matches it.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this)));
}
