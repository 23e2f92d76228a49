using CaseExchange.Charter;
using CaseExchange.Councils.Groups;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class ChangeMembershipFixture : CouncilFixture;

public sealed class ChangeMembershipTests(ChangeMembershipFixture fixture) : IClassFixture<ChangeMembershipFixture>
{
    [Fact]
    public void Only_active_members_join_and_only_with_a_group_role()
    {
        var member = AMember();
        Assert.Empty(Fields(ChangeMembershipUseCase.Check(new AddGroupMember(member.Id, Roles.Membre), member)));
        Assert.Equal(["memberId"], Fields(ChangeMembershipUseCase.Check(new AddGroupMember(Guid.NewGuid(), Roles.Membre), null)).Keys);
        Assert.Equal(["role"], Fields(ChangeMembershipUseCase.Check(new AddGroupMember(member.Id, Roles.Coordonnateur), member)).Keys);
        Assert.Equal(["role"], Fields(ChangeMembershipUseCase.Check(new ChangeGroupRole("chef"))).Keys);
    }

    [Fact]
    public void Membership_changes_follow_the_group_as_it_stands()
    {
        var member = Guid.NewGuid();
        var group = AGroup((member, Roles.Membre));
        Assert.Contains("déjà partie", Conflict(() => ChangeMembershipUseCase.DecideAdd(group, new AddGroupMember(member, Roles.Membre), Coordinator, Now)));
        Assert.Contains("déjà ce rôle", Conflict(() => ChangeMembershipUseCase.DecideRole(group, member, Roles.Membre, Coordinator, Now)));
        Assert.Equal(404, StatusOf(() => ChangeMembershipUseCase.DecideRole(group, Guid.NewGuid(), Roles.Animateur, Coordinator, Now)));
        Assert.Equal(404, StatusOf(() => ChangeMembershipUseCase.DecideRemove(group, Guid.NewGuid(), Coordinator, Now)));

        var promoted = ChangeMembershipUseCase.DecideRole(group, member, Roles.Animateur, Coordinator, Now);
        Assert.Equal((group.Id, member, Roles.Animateur, Now), (promoted.GroupId, promoted.MemberId, promoted.Role, promoted.At));
        Assert.Equal(member, ChangeMembershipUseCase.DecideRemove(group, member, Coordinator, Now).MemberId);
    }

    [Fact]
    public async Task A_bad_role_is_400_and_adding_a_member_twice_409_through_the_api()
    {
        var council = fixture.Council;
        var member = council.Id(council.MemberOfHoldingGroup);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/groups/{council.GroupA}/members",
            new { memberId = member, role = "chef" }), 400);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/groups/{council.GroupA}/members",
            new { memberId = member, role = Roles.Membre }), 409);
        await Answers.ProblemAsync(await fixture.Service.SendAsync(council.Coordonnateur, HttpMethod.Put,
            $"{council.Api}/groups/{council.GroupA}/members/{member}", new { role = Roles.Membre }), 409);
    }
}
