using CaseExchange.Councils.CharterInForce;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class SignCharterFixture : CouncilFixture;

public sealed class SignCharterTests(SignCharterFixture fixture) : IClassFixture<SignCharterFixture>
{
    [Fact]
    public void A_signature_names_a_version()
    {
        Assert.Equal(["version"], Fields(SignCharterUseCase.Check(new SignCharter(" "))).Keys);
        Assert.Empty(Fields(SignCharterUseCase.Check(new SignCharter(Policy.Version))));
    }

    [Fact]
    public void Only_the_version_in_force_shown_by_this_service_is_signed_and_only_once()
    {
        var member = AMember();
        Assert.Contains("Aucune charte", Conflict(() => SignCharterUseCase.Decide(member, ACouncil(charterInForce: false), Policy, Policy.Version, Now)));
        Assert.Contains("en vigueur est la", Conflict(() => SignCharterUseCase.Decide(member, ACouncil(), Policy, "1999.1", Now)));

        var signed = SignCharterUseCase.Decide(member, ACouncil(), Policy, Policy.Version, Now);
        Assert.Equal((member.Id, Policy.Version, Policy.Fingerprint, Now), (signed.MemberId, signed.CharterVersion, signed.Fingerprint, signed.At));
        member.Apply(signed);
        Assert.Contains("déjà signé", Conflict(() => SignCharterUseCase.Decide(member, ACouncil(), Policy, Policy.Version, Now)));
    }

    [Fact]
    public async Task No_version_is_400_and_signing_twice_409_through_the_api()
    {
        var council = fixture.Council;
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Animateur, $"{council.Api}/charter/signatures", new { version = "" }), 400);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Animateur, $"{council.Api}/charter/signatures", new { version = Policy.Version }), 409);
    }
}
