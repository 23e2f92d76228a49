using CaseExchange.Councils.CharterInForce;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class AdoptCharterFixture : CouncilFixture;

public sealed class AdoptCharterTests(AdoptCharterFixture fixture) : IClassFixture<AdoptCharterFixture>
{
    [Fact]
    public void An_adoption_names_a_version()
    {
        Assert.Equal(["version"], Fields(AdoptCharterUseCase.Check(new AdoptCharter(null))).Keys);
    }

    [Fact]
    public void Only_the_shipped_version_is_adopted_and_only_if_not_already_in_force()
    {
        Assert.Contains("Seule la version livrée", Conflict(() => AdoptCharterUseCase.Decide(ACouncil(false), Policy, "1999.1", Coordinator, Now)));
        Assert.Contains("déjà en vigueur", Conflict(() => AdoptCharterUseCase.Decide(ACouncil(), Policy, Policy.Version, Coordinator, Now)));
        var adopted = AdoptCharterUseCase.Decide(ACouncil(false), Policy, Policy.Version, Coordinator, Now);
        Assert.Equal((Policy.Version, Policy.Fingerprint, (Guid?)Coordinator, Now), (adopted.Version, adopted.Fingerprint, adopted.AdoptedBy, adopted.At));
    }

    [Fact]
    public async Task No_version_is_400_and_adopting_the_version_in_force_409_through_the_api()
    {
        var council = fixture.Council;
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/charter/adoptions", new { }), 400);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/charter/adoptions", new { version = Policy.Version }), 409);
    }
}
