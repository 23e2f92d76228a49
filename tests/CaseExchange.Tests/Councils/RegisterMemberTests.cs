using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils.Members;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class RegisterMemberFixture : CouncilFixture;

public sealed class RegisterMemberTests(RegisterMemberFixture fixture) : IClassFixture<RegisterMemberFixture>
{
    private static RegisterMember Complete => new("sujet", " Nom ", "Organisation", "Fonction", [Roles.Auditeur, Roles.Auditeur]);

    [Fact]
    public void A_complete_form_passes_the_check()
    {
        Assert.Empty(Fields(RegisterMemberUseCase.Check(Complete, subjectTaken: false)));
    }

    [Fact]
    public void The_check_asks_for_every_field_and_known_roles()
    {
        var fields = Fields(RegisterMemberUseCase.Check(new RegisterMember(null, "", " ", null, ["roi"]), subjectTaken: false));
        Assert.Equal(["councilRoles", "displayName", "function", "organisation", "subject"], fields.Keys.Order());
    }

    [Fact]
    public void A_login_already_used_in_the_council_is_refused()
    {
        Assert.Equal(["subject"], Fields(RegisterMemberUseCase.Check(Complete, subjectTaken: true)).Keys);
    }

    [Fact]
    public void The_decision_trims_the_texts_and_keeps_each_role_once()
    {
        var id = Guid.NewGuid();
        var registered = RegisterMemberUseCase.Decide(id, Complete, Coordinator, Now);
        Assert.Equal((id, "Nom", Coordinator, Now), (registered.MemberId, registered.DisplayName, registered.RegisteredBy, registered.At));
        Assert.Equal([Roles.Auditeur], registered.CouncilRoles);
    }

    [Fact]
    public async Task An_incomplete_form_or_a_login_in_use_is_a_400_through_the_api()
    {
        var council = fixture.Council;
        var incomplete = await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/members",
            new { subject = "x", displayName = "", organisation = "PJJ", function = "Éducatrice" }), 400);
        Assert.True(incomplete.GetProperty("errors").TryGetProperty("displayName", out _));

        var taken = await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/members",
            new { subject = council.Auditeur, displayName = "Doublon", organisation = "PJJ", function = "Éducatrice" }), 400);
        Assert.Equal(JsonValueKind.Array, taken.GetProperty("errors").GetProperty("subject").ValueKind);
    }
}
