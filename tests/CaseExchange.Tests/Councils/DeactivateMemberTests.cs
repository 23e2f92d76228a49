using CaseExchange.Charter;
using CaseExchange.Councils.Members;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class DeactivateMemberFixture : CouncilFixture;

public sealed class DeactivateMemberTests(DeactivateMemberFixture fixture) : IClassFixture<DeactivateMemberFixture>
{
    [Fact]
    public void A_member_leaves_every_group_at_the_instant_of_their_deactivation()
    {
        var member = AMember();
        var groups = new[] { AGroup((member.Id, Roles.Membre)), AGroup((member.Id, Roles.Animateur)) };
        var (deactivated, departures) = DeactivateMemberUseCase.Decide(member, groups, Coordinator, Now);
        Assert.Equal((member.Id, Coordinator, Now), (deactivated.MemberId, deactivated.DeactivatedBy, deactivated.At));
        Assert.Equal(groups.Select(g => g.Id), departures.Select(d => d.Left.GroupId));
        Assert.All(departures, d => Assert.Equal((member.Id, Now), (d.Left.MemberId, d.Left.At)));
    }

    [Fact]
    public void Nobody_deactivates_their_own_account()
    {
        Assert.Contains("propre compte", Conflict(() => DeactivateMemberUseCase.Decide(AMember(Coordinator), [], Coordinator, Now)));
    }

    [Fact]
    public async Task Deactivating_oneself_is_409_and_an_unknown_member_404_through_the_api()
    {
        var council = fixture.Council;
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur,
            $"{council.Api}/members/{council.Id(council.Coordonnateur)}/deactivation", null), 409);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/members/{Guid.NewGuid()}/deactivation", null), 404);
    }
}
