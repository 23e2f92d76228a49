using CaseExchange.Hosting;
using CaseExchange.Charter;
using CaseExchange.Http;
using JasperFx;
using JasperFx.CommandLine;
using Marten;

namespace CaseExchange.Councils;

public sealed class CreateCouncilInput : NetCoreInput
{
    [Description("Council code: 2 to 40 lowercase letters, digits or dashes (it appears in URLs)")]
    public string Code { get; set; } = "";

    [Description("Council name, e.g. \"CLSPD de Valence\"")]
    public string Name { get; set; } = "";

    [Description("Sectors as code:Label pairs separated by commas, e.g. \"centre:Centre-Ville,nord:Quartiers nord\"")]
    public string SectorsFlag { get; set; } = "";

    [Description("OpenID Connect subject (sub) of the first coordonnateur")]
    public string CoordinatorSubjectFlag { get; set; } = "";

    [Description("Display name of the first coordonnateur")]
    public string CoordinatorNameFlag { get; set; } = "";

    [Description("Organisation of the first coordonnateur")]
    public string CoordinatorOrganisationFlag { get; set; } = "Mairie";

    [Description("Function of the first coordonnateur")]
    public string CoordinatorFunctionFlag { get; set; } = "Coordonnateur du CLSPD";
}

/// <summary>Operators create councils: <c>CaseExchange council-create valence "CLSPD de Valence" --sectors … --coordinator-subject …</c>.</summary>
[Description("Create a council (tenant) with its sectors, the charter in force and its first coordonnateur", Name = "council-create")]
public sealed class CreateCouncilVerb : JasperFxAsyncCommand<CreateCouncilInput>
{
    public CreateCouncilVerb()
    {
        Usage("Create a council").Arguments(x => x.Code, x => x.Name);
    }

    public override async Task<bool> Execute(CreateCouncilInput input)
    {
        if (string.IsNullOrWhiteSpace(input.CoordinatorSubjectFlag) || string.IsNullOrWhiteSpace(input.CoordinatorNameFlag))
        {
            Console.Error.WriteLine("--coordinator-subject and --coordinator-name are required.");
            return false;
        }
        var sectors = input.SectorsFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split(':', 2))
            .Select(parts => new Sector(parts[0], parts.Length > 1 ? parts[1] : parts[0]))
            .ToList();

        // The host is built, not started: no HTTP port, no background work, next to a running service.
        using var host = input.BuildHost();
        try
        {
            var store = host.Services.GetRequiredService<IDocumentStore>();
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var policy = host.Services.GetRequiredService<CharterPolicy>();
            var clock = host.Services.GetRequiredService<TimeProvider>();
            await CouncilBootstrap.EstablishAsync(store, policy, input.Code, input.Name, sectors,
                new FirstCoordinator(input.CoordinatorSubjectFlag, input.CoordinatorNameFlag, input.CoordinatorOrganisationFlag, input.CoordinatorFunctionFlag),
                clock.GetUtcNow());
            Console.WriteLine($"Council '{input.Code}' created with charter {policy.Version} in force; its coordonnateur signs in as '{input.CoordinatorSubjectFlag}'.");
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine(e.Message);
            return false;
        }
        finally
        {
            // Outside the running service nothing stops the embedded PostgreSQL this command may have started.
            if (host.Services.GetService<EmbeddedPostgres>() is { } embedded) await embedded.DisposeAsync();
        }
    }
}
