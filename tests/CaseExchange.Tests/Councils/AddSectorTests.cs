using CaseExchange.Councils.Sectors;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class AddSectorFixture : CouncilFixture;

public sealed class AddSectorTests(AddSectorFixture fixture) : IClassFixture<AddSectorFixture>
{
    [Fact]
    public void A_sector_has_a_new_code_safe_in_urls_and_a_label()
    {
        var council = ACouncil();
        Assert.Empty(Fields(AddSectorUseCase.Check(new AddSector("centre-ville", "Centre-Ville"), council)));
        Assert.Equal(["code"], Fields(AddSectorUseCase.Check(new AddSector("Centre Ville", "Centre"), council)).Keys);
        Assert.Equal(["code"], Fields(AddSectorUseCase.Check(new AddSector("nord", "Nord"), council)).Keys);
        Assert.Equal(["code", "label"], Fields(AddSectorUseCase.Check(new AddSector(null, null), council)).Keys.Order());
    }

    [Fact]
    public void The_decision_trims_the_label()
    {
        var added = AddSectorUseCase.Decide(new AddSector("est", " Quartier est "), Coordinator, Now);
        Assert.Equal(("est", "Quartier est", Coordinator, Now), (added.Sector.Code, added.Sector.Label, added.AddedBy, added.At));
    }

    [Fact]
    public async Task An_existing_or_malformed_code_is_a_400_through_the_api()
    {
        var council = fixture.Council;
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/sectors", new { code = "nord", label = "Nord" }), 400);
        await Answers.ProblemAsync(await fixture.Service.PostAsync(council.Coordonnateur, $"{council.Api}/sectors", new { code = "É", label = "É" }), 400);
    }
}
