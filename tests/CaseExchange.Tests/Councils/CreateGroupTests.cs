using CaseExchange.Councils;
using CaseExchange.Councils.Groups;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class CreateGroupFixture : CouncilFixture;

public sealed class CreateGroupTests(CreateGroupFixture fixture) : IClassFixture<CreateGroupFixture>
{
    [Fact]
    public void A_territorial_group_names_a_sector_of_the_council_and_a_thematic_one_none()
    {
        var council = ACouncil();
        Assert.Empty(Fields(CreateGroupUseCase.Check(new CreateGroup("GT nord", GroupKinds.Territorial, "nord"), council, nameTaken: false)));
        Assert.Empty(Fields(CreateGroupUseCase.Check(new CreateGroup("GT décrochage", GroupKinds.Thematique, null), council, nameTaken: false)));
        Assert.Equal(["sector"], Fields(CreateGroupUseCase.Check(new CreateGroup("GT", GroupKinds.Territorial, "ouest"), council, false)).Keys);
        Assert.Equal(["sector"], Fields(CreateGroupUseCase.Check(new CreateGroup("GT", GroupKinds.Thematique, "nord"), council, false)).Keys);
    }

    [Fact]
    public void A_group_needs_a_free_name_and_a_known_kind()
    {
        var council = ACouncil();
        Assert.Equal(["kind", "name"], Fields(CreateGroupUseCase.Check(new CreateGroup(" ", "autre", null), council, false)).Keys.Order());
        Assert.Equal(["name"], Fields(CreateGroupUseCase.Check(new CreateGroup("GT", GroupKinds.Thematique, null), council, nameTaken: true)).Keys);
    }

    [Fact]
    public void The_decision_trims_the_name()
    {
        var id = Guid.NewGuid();
        var created = CreateGroupUseCase.Decide(id, new CreateGroup(" GT nord ", GroupKinds.Territorial, "nord"), Coordinator, Now);
        Assert.Equal((id, "GT nord", GroupKinds.Territorial, "nord", Coordinator, Now),
            (created.GroupId, created.Name, created.Kind, created.Sector, created.CreatedBy, created.At));
    }

    [Fact]
    public async Task A_name_in_use_or_a_territorial_group_without_sector_is_a_400_through_the_api()
    {
        var council = fixture.Council;
        var taken = await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/groups",
            new { name = "GT A (détenteur)", kind = "thematique" }), 400);
        Assert.True(taken.GetProperty("errors").TryGetProperty("name", out _));
        var noSector = await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/groups",
            new { name = "GT sans secteur", kind = "territorial" }), 400);
        Assert.True(noSector.GetProperty("errors").TryGetProperty("sector", out _));
    }
}
