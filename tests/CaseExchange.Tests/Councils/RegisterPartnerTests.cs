using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class RegisterPartnerFixture : CouncilFixture;

public sealed class RegisterPartnerTests(RegisterPartnerFixture fixture) : IClassFixture<RegisterPartnerFixture>
{
    [Fact]
    public void A_partner_has_a_name_and_a_role_of_the_charter_once_in_the_directory()
    {
        var council = ACouncil();
        Assert.Empty(Fields(RegisterPartnerUseCase.Check(new RegisterPartner("CCAS", "travailleur-social", null), council, Policy)));
        Assert.Equal(["organisation", "role"],
            Fields(RegisterPartnerUseCase.Check(new RegisterPartner("", "boulanger", null), council, Policy)).Keys.Order());

        council.Apply(new PartnerRegistered(Guid.NewGuid(), "CCAS", "travailleur-social", Coordinator, Now));
        Assert.Equal(["organisation"], Fields(RegisterPartnerUseCase.Check(new RegisterPartner(" ccas ", "travailleur-social", null), council, Policy)).Keys);
        Assert.Empty(Fields(RegisterPartnerUseCase.Check(new RegisterPartner("CCAS", "mediateur", null), council, Policy)));
    }

    [Fact]
    public void The_decision_trims_the_organisation()
    {
        var id = Guid.NewGuid();
        var registered = RegisterPartnerUseCase.Decide(new RegisterPartner(" Mission locale ", "conseiller-insertion", null), id, Coordinator, Now);
        Assert.Equal((id, "Mission locale", "conseiller-insertion", Now), (registered.PartnerId, registered.Organisation, registered.Role, registered.At));
    }

    [Fact]
    public async Task An_unknown_role_is_400_and_a_stale_version_409_through_the_api()
    {
        var council = fixture.Council;
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/partners",
            new { organisation = "Boulangerie", role = "boulanger" }), 400);
        var stale = await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/partners",
            new { organisation = "Mission locale", role = "conseiller-insertion", expectedVersion = 0 }), 409);
        Assert.Equal(0, stale.GetProperty("expectedVersion").GetInt64());
    }
}
