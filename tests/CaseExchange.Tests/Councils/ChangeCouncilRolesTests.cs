using CaseExchange.Charter;
using CaseExchange.Councils.Members;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class ChangeCouncilRolesFixture : CouncilFixture;

public sealed class ChangeCouncilRolesTests(ChangeCouncilRolesFixture fixture) : IClassFixture<ChangeCouncilRolesFixture>
{
    [Fact]
    public void Only_council_roles_of_the_closed_list_can_be_granted()
    {
        Assert.Empty(Fields(ChangeCouncilRolesUseCase.Check(new GrantCouncilRole(Roles.Auditeur))));
        Assert.Equal(["role"], Fields(ChangeCouncilRolesUseCase.Check(new GrantCouncilRole(Roles.Animateur))).Keys);
        Assert.Equal(["role"], Fields(ChangeCouncilRolesUseCase.Check(new GrantCouncilRole(null))).Keys);
    }

    [Fact]
    public void Granting_a_role_the_member_has_is_out_of_order()
    {
        var auditor = AMember(null, Roles.Auditeur);
        Assert.Contains("déjà ce rôle", Conflict(() => ChangeCouncilRolesUseCase.DecideGrant(auditor, Roles.Auditeur, Coordinator, Now)));
        var granted = ChangeCouncilRolesUseCase.DecideGrant(auditor, Roles.President, Coordinator, Now);
        Assert.Equal((auditor.Id, Roles.President, Coordinator, Now), (granted.MemberId, granted.Role, granted.GrantedBy, granted.At));
    }

    [Fact]
    public void A_coordonnateur_cannot_revoke_their_own_role_nor_a_role_that_is_not_held()
    {
        var coordinator = AMember(Coordinator, Roles.Coordonnateur);
        Assert.Contains("lui-même", Conflict(() => ChangeCouncilRolesUseCase.DecideRevoke(coordinator, Roles.Coordonnateur, Coordinator, Now)));
        Assert.Contains("n'a pas ce rôle", Conflict(() => ChangeCouncilRolesUseCase.DecideRevoke(coordinator, Roles.Auditeur, Coordinator, Now)));
        var other = AMember(null, Roles.Coordonnateur);
        Assert.Equal(other.Id, ChangeCouncilRolesUseCase.DecideRevoke(other, Roles.Coordonnateur, Coordinator, Now).MemberId);
    }

    [Fact]
    public async Task Unknown_roles_are_400_and_roles_already_held_or_own_are_409_through_the_api()
    {
        var council = fixture.Council;
        var auditor = council.Id(council.Auditeur);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/members/{auditor}/roles", new { role = "roi" }), 400);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/members/{auditor}/roles", new { role = Roles.Auditeur }), 409);
        var own = council.Id(council.Coordonnateur);
        await Answers.ProblemAsync(await fixture.Service.SendAsync(council.Coordonnateur, HttpMethod.Delete,
            $"{council.Api}/members/{own}/roles/{Roles.Coordonnateur}"), 409);
    }
}
