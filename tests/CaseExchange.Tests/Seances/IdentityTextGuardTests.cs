using CaseExchange.Charter;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Situations.Referral;

namespace CaseExchange.Tests.Seances;

/// <summary>The check of free text destined for a CR, without a database.</summary>
public sealed class IdentityTextGuardTests
{
    private static readonly PersonIdentity Philomene = new("Zorglubovitch", "Philomène", "F", new DateOnly(2010, 3, 17),
        "17 impasse des Quetzals, 26000 Valence", "06 12 34 56 78", "philomene.zorg@exemple.test", "Collège Fictif, classe de 3e",
        "Mère : Mme Brontosaurine");

    private static readonly PersonIdentity JeanPierre = new("Le", "Jean-Pierre", "M", new DateOnly(1988, 11, 2), null, null, null, null, null);

    private static readonly IdentityTextGuard Guard = new([Philomene, JeanPierre]);

    private static IReadOnlyList<string> Kinds(string text) => [.. Guard.Check(text).Select(f => f.Kind).Distinct()];

    [Theory]
    [InlineData("Situation de Zorglubovitch évoquée.", IdentityKinds.Nom)]
    [InlineData("situation de ZORGLUBOVITCH", IdentityKinds.Nom)]
    [InlineData("la jeune philomene", IdentityKinds.Prenom)]
    [InlineData("PHILOMÈNE est absente", IdentityKinds.Prenom)]
    [InlineData("voir avec Zorglu la semaine prochaine", IdentityKinds.Nom)]
    [InlineData("Philo a été reçue", IdentityKinds.Prenom)]
    [InlineData("jean pierre sera recontacté", IdentityKinds.Prenom)]
    [InlineData("JeanPierre sera recontacté", IdentityKinds.Prenom)]
    [InlineData("Pierre sera recontacté", IdentityKinds.Prenom)]
    [InlineData("Jean-Pierre Le sera recontacté", IdentityKinds.Nom)]
    [InlineData("Mme Brontosaurine a été reçue", IdentityKinds.RepresentantsLegaux)]
    public void A_name_is_found_whatever_its_case_accents_or_truncation(string text, string kind) =>
        Assert.Contains(kind, Kinds(text));

    [Theory]
    [InlineData("née le 17/03/2010")]
    [InlineData("date : 17-03-2010")]
    [InlineData("2010-03-17")]
    [InlineData("17.03.10")]
    [InlineData("le 17 mars 2010")]
    [InlineData("le 17 MARS 2010")]
    [InlineData("17032010")]
    [InlineData("née le 17 mars")]
    [InlineData("anniversaire le 17/03")]
    [InlineData("née en 2010")]
    public void A_birth_date_is_found_in_the_usual_written_forms(string text) =>
        Assert.Contains(IdentityKinds.DateNaissance, Kinds(text));

    [Theory]
    [InlineData("Prochaine séance le 17 mars.")]
    [InlineData("Signalée en 2010 par l'école.")]
    [InlineData("Point le 17/03 en mairie.")]
    public void A_date_without_birth_context_and_without_the_year_is_not_a_birth_date(string text) =>
        Assert.DoesNotContain(IdentityKinds.DateNaissance, Kinds(text));

    [Theory]
    [InlineData("appeler le 06 12 34 56 78", IdentityKinds.Telephone)]
    [InlineData("appeler le +33 6 12 34 56 78", IdentityKinds.Telephone)]
    [InlineData("appeler le 06.12.34.56.78", IdentityKinds.Telephone)]
    [InlineData("écrire à Philomene.Zorg@exemple.test", IdentityKinds.Courriel)]
    [InlineData("rencontre impasse des Quetzals", IdentityKinds.Adresse)]
    [InlineData("rencontre vers les quetzal", IdentityKinds.Adresse)]
    [InlineData("élève au collège fictif", IdentityKinds.Scolarite)]
    [InlineData("vu avec Z. P. hier", IdentityKinds.Initiales)]
    [InlineData("vu avec P.Z. hier", IdentityKinds.Initiales)]
    [InlineData("vu avec ZP hier", IdentityKinds.Initiales)]
    [InlineData("vu avec Mme Z. hier", IdentityKinds.Initiales)]
    [InlineData("vu avec J.-P. L. hier", IdentityKinds.Initiales)]
    public void Every_identity_field_is_checked(string text, string kind) =>
        Assert.Contains(kind, Kinds(text));

    [Theory]
    [InlineData("Le groupe a constaté une amélioration ; la famille est accompagnée par le CCAS. Prochaine séance en juin.")]
    [InlineData("Le mari a été orienté vers une association d'aide aux victimes.")]
    [InlineData("Le père sera reçu par la mission locale ; la mère est informée. Le jeune reprend l'école.")]
    [InlineData("Valence, le 12 avril : point sur la rue et le quartier nord, avec la PJJ et le SPIP.")]
    [InlineData("Rappel : le 3e trimestre commence en septembre 2026.")]
    public void Ordinary_CR_text_is_accepted(string text) =>
        Assert.Empty(Guard.Check(text));

    [Fact]
    public void A_surname_that_is_a_function_word_counts_only_with_the_first_name()
    {
        Assert.Empty(Guard.Check("Le groupe le recevra."));
        Assert.Contains(IdentityKinds.Nom, Kinds("Jean-Pierre LE sera recontacté"));
    }

    [Fact]
    public void A_finding_points_at_the_offending_words_without_holding_them()
    {
        const string text = "Point de situation : Zorglubovitch reçue par le CCAS.";
        var finding = Assert.Single(Guard.Check(text));
        Assert.Equal(IdentityKinds.Nom, finding.Kind);
        Assert.Equal(text.IndexOf("Zorglubovitch", StringComparison.Ordinal), finding.Start);
        Assert.Equal("Zorglubovitch".Length, finding.Length);
        Assert.DoesNotContain("Zorglubovitch", finding.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("zorglubovitch", Guard.ToString());
    }

    [Fact]
    public void No_person_means_nothing_to_find()
    {
        Assert.Empty(new IdentityTextGuard([]).Check("Zorglubovitch, né le 17/03/2010, 06 12 34 56 78"));
    }
}
