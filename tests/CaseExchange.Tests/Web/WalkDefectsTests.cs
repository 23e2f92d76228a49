using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal.Browsing;
using CaseExchange.Journal.Replay;
using CaseExchange.Journal.Verification;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Web;

/// <summary>Defects found walking the pages: the charter banner, the "Mes suivis" entry, the journal's wording, the referral form.</summary>
public sealed class WalkDefectsTests(CouncilFixture fixture) : IClassFixture<CouncilFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));

    private const string Banner = "Vous n'avez pas signé la charte déontologique en vigueur.";

    private async Task<string> NewMemberAsync(string role)
    {
        var subject = $"{Council.Code}.{role}-{Guid.NewGuid():N}"[..40];
        await Service.PostJsonAsync<MemberCreated>(Council.Coordonnateur, $"{Council.Api}/members",
            new { subject, displayName = $"Nouveau {role}", organisation = "Mairie", function = "Fonction", councilRoles = new[] { role } }, 201);
        return subject;
    }

    [Theory]
    [InlineData(Roles.Auditeur)]
    [InlineData(Roles.President)]
    public async Task An_auditeur_or_president_who_has_not_signed_sees_no_banner_and_the_charter_page_says_why(string role)
    {
        using var client = await Service.PageClientAsync(await NewMemberAsync(role));
        Assert.DoesNotContain(Banner, await client.GetStringAsync($"/c/{Council.Code}"));
        var charter = await client.GetStringAsync($"/c/{Council.Code}/charte");
        Assert.Contains("aucun de vos accès n'attend votre signature", System.Net.WebUtility.HtmlDecode(charter));
        Assert.Contains("Signer la charte", charter);
    }

    [Fact]
    public async Task A_group_member_who_has_not_signed_still_sees_the_banner()
    {
        using var client = await Service.PageClientAsync(Council.UnsignedMember);
        Assert.Contains(Banner, System.Net.WebUtility.HtmlDecode(await client.GetStringAsync($"/c/{Council.Code}")));
    }

    [Fact]
    public void The_charter_gates_group_members_and_nominative_council_roles_only()
    {
        Assert.True(ReadCouncilUseCase.CharterGatesAnAccess(Policy, [], belongsToAGroup: true));
        Assert.True(ReadCouncilUseCase.CharterGatesAnAccess(Policy, [Roles.Coordonnateur], belongsToAGroup: false));
        Assert.False(ReadCouncilUseCase.CharterGatesAnAccess(Policy, [Roles.Auditeur], belongsToAGroup: false));
        Assert.False(ReadCouncilUseCase.CharterGatesAnAccess(Policy, [Roles.President], belongsToAGroup: false));
        Assert.False(ReadCouncilUseCase.CharterGatesAnAccess(Policy, [Roles.Auditeur, Roles.President], belongsToAGroup: false));
    }

    [Fact]
    public async Task Mes_suivis_is_in_the_menu_only_for_a_referent_of_an_open_situation_and_its_page_has_an_empty_state()
    {
        const string MenuItem = ">Mes suivis</a>";
        using var other = await Service.PageClientAsync(Council.MemberOfOtherGroup);
        Assert.DoesNotContain(MenuItem, await other.GetStringAsync($"/c/{Council.Code}"));
        var empty = System.Net.WebUtility.HtmlDecode(await other.GetStringAsync($"/c/{Council.Code}/suivis"));
        Assert.Contains("Aucun suivi ne vous est confié pour l'instant.", empty);

        await fixture.Steps.FollowedUpAsync(Council.Referent);
        using var referent = await Service.PageClientAsync(Council.Referent);
        Assert.Contains(MenuItem, await referent.GetStringAsync($"/c/{Council.Code}"));
    }

    [Fact]
    public async Task The_referral_form_opens_with_one_person_block()
    {
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var html = await member.GetStringAsync($"/c/{Council.Code}/situations/nouvelle");
        Assert.Contains("Input_Persons_0__Nom", html);
        Assert.DoesNotContain("Input_Persons_1__Nom", html);
    }

    [Fact]
    public void The_journal_never_calls_a_refusal_legitimate_and_counts_agree_with_their_number()
    {
        Assert.Equal("Refus conforme", EntreesModel.VerdictLabel(ReplayVerdicts.Legitimate, granted: false));
        Assert.Equal("Accès conforme", EntreesModel.VerdictLabel(ReplayVerdicts.Legitimate, granted: true));
        Assert.Equal("À examiner", EntreesModel.VerdictLabel(ReplayVerdicts.Flagged, granted: true));
        Assert.Equal("Refus à noter", EntreesModel.VerdictLabel(ReplayVerdicts.Informative, granted: false));

        Assert.Equal("0 entrée", VerificationView.Count(0, "entrée", "entrées"));
        Assert.Equal("1 entrée", VerificationView.Count(1, "entrée", "entrées"));
        Assert.Equal("2 entrées", VerificationView.Count(2, "entrée", "entrées"));
    }
}
