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

    private static readonly PersonIdentity Delepine = new("Delépine", "Oscarine", "F", new DateOnly(1975, 5, 9), null, null, null, null, null);

    private static readonly PersonIdentity DeLaTour = new("de La Tourmalière-Vidalou", "Barnabé", "M", new DateOnly(1969, 12, 1), null, null, null, null, null);

    private static readonly IdentityTextGuard Guard = IdentityTextGuard.Of([Philomene, JeanPierre, Delepine, DeLaTour]);

    private static bool Named(string text) => Guard.Check(text).Count > 0;

    [Theory]
    [InlineData("Situation de Zorglubovitch évoquée.")]
    [InlineData("situation de ZORGLUBOVITCH")]
    [InlineData("la jeune philomene")]
    [InlineData("PHILOMÈNE est absente")]
    [InlineData("voir avec Zorglu la semaine prochaine")]
    [InlineData("Philo a été reçue")]
    [InlineData("jean pierre sera recontacté")]
    [InlineData("JeanPierre sera recontacté")]
    [InlineData("Pierre sera recontacté")]
    [InlineData("Jean-Pierre Le sera recontacté")]
    [InlineData("Mme Brontosaurine a été reçue")]
    public void A_name_is_found_whatever_its_case_accents_or_truncation(string text) =>
        Assert.True(Named(text));

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
        Assert.True(Named(text));

    [Theory]
    [InlineData("Prochaine séance le 17 mars.")]
    [InlineData("Signalée en 2010 par l'école.")]
    [InlineData("Point le 17/03 en mairie.")]
    public void A_date_without_birth_context_and_without_the_year_is_not_a_birth_date(string text) =>
        Assert.False(Named(text));

    [Theory]
    [InlineData("appeler le 06 12 34 56 78")]
    [InlineData("appeler le +33 6 12 34 56 78")]
    [InlineData("appeler le 06.12.34.56.78")]
    [InlineData("écrire à Philomene.Zorg@exemple.test")]
    [InlineData("rencontre impasse des Quetzals")]
    [InlineData("rencontre vers les quetzal")]
    [InlineData("élève au collège fictif")]
    [InlineData("vu avec Z. P. hier")]
    [InlineData("vu avec P.Z. hier")]
    [InlineData("vu avec ZP hier")]
    [InlineData("vu avec Mme Z. hier")]
    [InlineData("vu avec J.-P. L. hier")]
    public void Every_identity_field_is_checked(string text) =>
        Assert.True(Named(text));

    [Theory]
    [InlineData("vu avec De Lépine hier")]
    [InlineData("vu avec de lepine hier")]
    [InlineData("vu avec DE LEPINE hier")]
    [InlineData("vu avec Delepine hier")]
    [InlineData("M. de la Tourmalière est venu")]
    [InlineData("M. Delatourmaliere est venu")]
    [InlineData("M. La Tourmalière est venu")]
    [InlineData("M. Latourmaliere est venu")]
    [InlineData("M. Tourmalière-Vidalou est venu")]
    public void A_surname_split_or_joined_around_a_particle_is_found_with_or_without_accents(string text) =>
        Assert.True(Named(text));

    [Theory]
    [InlineData("vu avec T. V. hier")]
    [InlineData("vu avec T.V. hier")]
    [InlineData("vu avec TV hier")]
    [InlineData("vu avec L.T.V. hier")]
    [InlineData("vu avec B. T. V. hier")]
    public void The_initials_of_a_compound_surname_alone_are_found_dotted_and_compact(string text) =>
        Assert.True(Named(text));

    [Theory]
    [InlineData("Le groupe a constaté une amélioration ; la famille est accompagnée par le CCAS. Prochaine séance en juin.")]
    [InlineData("Le mari a été orienté vers une association d'aide aux victimes.")]
    [InlineData("Le père sera reçu par la mission locale ; la mère est informée. Le jeune reprend l'école.")]
    [InlineData("Valence, le 12 avril : point sur la rue et le quartier nord, avec la PJJ et le SPIP.")]
    [InlineData("Rappel : le 3e trimestre commence en septembre 2026.")]
    public void Ordinary_CR_text_is_accepted(string text) =>
        Assert.Empty(Guard.Check(text));

    [Theory]
    [InlineData("Rendez-vous à la mairie de la ville, avec le CCAS et la PJJ.")]
    [InlineData("Il vient de La Poste et de la mission locale.")]
    [InlineData("Le père de l'enfant et la mère du jeune.")]
    public void Particles_of_a_known_surname_are_never_a_name_on_their_own(string text) =>
        Assert.Empty(Guard.Check(text));

    [Fact]
    public void A_surname_that_is_a_function_word_counts_only_with_the_first_name()
    {
        Assert.Empty(Guard.Check("Le groupe le recevra."));
        Assert.True(Named("Jean-Pierre LE sera recontacté"));
    }

    [Fact]
    public void A_finding_points_at_the_offending_words_without_holding_them()
    {
        const string text = "Point de situation : Zorglubovitch reçue par le CCAS.";
        var finding = Assert.Single(Guard.Check(text));
        Assert.Equal(text.IndexOf("Zorglubovitch", StringComparison.Ordinal), finding.Start);
        Assert.Equal("Zorglubovitch".Length, finding.Length);
        Assert.DoesNotContain("Zorglubovitch", finding.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("zorglubovitch", Guard.ToString());
    }

    [Fact]
    public void No_person_means_nothing_to_find()
    {
        Assert.Empty(IdentityTextGuard.Of([]).Check("Zorglubovitch, né le 17/03/2010, 06 12 34 56 78"));
        Assert.Empty(IdentityTextGuard.Nobody.Check("Zorglubovitch, né le 17/03/2010, 06 12 34 56 78"));
    }

    [Fact]
    public void Masking_replaces_every_identity_element_and_keeps_the_rest()
    {
        var masked = Guard.Mask("Philomène a vu Oscarine Delépine le 17/03/2010 au CCAS.", "[X]");
        Assert.Equal("[X] a vu [X] le [X] au CCAS.", masked);
    }
}
