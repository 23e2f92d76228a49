using System.Net.Mail;
using CaseExchange.Http;
using CaseExchange.Journal;

namespace CaseExchange.Situations.Referral;

/// <summary>
/// NOMINATIVE, IN CLEAR: the identity of a person concerned, exactly the fields the CNIL framework allows.
/// It exists only in a request being sealed or in a file being returned to an entitled member; it is never
/// logged, stored or put in an exception message.
/// </summary>
[ReturnsNominativeData]
public sealed record PersonIdentity(
    string Nom, string Prenom, string? Sexe, DateOnly DateNaissance, string? Adresse, string? Telephone, string? Courriel,
    string? SituationScolaireOuProfessionnelle, string? RepresentantsLegaux)
{
    public override string ToString() => "[identité nominative]";
}

/// <summary>NOMINATIVE, IN CLEAR: a person as entered in a referral form (role plus identity fields).</summary>
public sealed record PersonInClear(
    string? Role, string? Nom, string? Prenom, string? Sexe, DateOnly? DateNaissance, string? Adresse, string? Telephone,
    string? Courriel, string? SituationScolaireOuProfessionnelle, string? RepresentantsLegaux)
{
    public static readonly IReadOnlySet<string> Sexes = new HashSet<string> { "F", "M", "X" };

    public PersonIdentity ToIdentity() => new(Nom!.Trim(), Prenom!.Trim(), Sexe, DateNaissance!.Value, Adresse?.Trim(), Telephone?.Trim(),
        Courriel?.Trim(), SituationScolaireOuProfessionnelle?.Trim(), RepresentantsLegaux?.Trim());

    public override string ToString() => "[personne nominative]";

    /// <summary>Checks each field. Messages never repeat the value: it is nominative.</summary>
    public void Validate(ValidationErrors errors, string prefix, DateOnly today, IReadOnlyCollection<string> roles)
    {
        errors.When(Role is null || !roles.Contains(Role), $"{prefix}.role", "Le rôle de la personne doit être choisi dans la liste de la charte.");
        errors.RequireText(Nom, $"{prefix}.nom", "Le nom", 100);
        errors.RequireText(Prenom, $"{prefix}.prenom", "Le prénom", 100);
        errors.When(Sexe is not null && !Sexes.Contains(Sexe), $"{prefix}.sexe", "Le sexe, s'il est renseigné, vaut F, M ou X.");
        if (DateNaissance is null) errors.Add($"{prefix}.dateNaissance", "La date de naissance est obligatoire.");
        else
        {
            errors.When(DateNaissance > today, $"{prefix}.dateNaissance", "La date de naissance ne peut pas être dans le futur.");
            errors.When(DateNaissance < today.AddYears(-120), $"{prefix}.dateNaissance", "La date de naissance n'est pas plausible.");
        }
        errors.OptionalText(Adresse, $"{prefix}.adresse", "L'adresse", 300);
        errors.When(Telephone is not null && (Telephone.Length > 25 || !Telephone.All(c => char.IsDigit(c) || c is ' ' or '+' or '.' or '-')),
            $"{prefix}.telephone", "Le téléphone ne contient que des chiffres, espaces, points, tirets ou « + » (25 caractères au plus).");
        errors.When(Courriel is not null && (Courriel.Length > 200 || !MailAddress.TryCreate(Courriel, out _)),
            $"{prefix}.courriel", "Le courriel n'est pas une adresse valide.");
        errors.OptionalText(SituationScolaireOuProfessionnelle, $"{prefix}.situationScolaireOuProfessionnelle", "La situation scolaire ou professionnelle", 300);
        errors.OptionalText(RepresentantsLegaux, $"{prefix}.representantsLegaux", "Les représentants légaux", 300);
    }
}
