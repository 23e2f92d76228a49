namespace CaseExchange.Retention;

public static class RetentionSetup
{
    public static void AddCaseExchangeRetention(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        builder.Services.AddSingleton<NominativeErasure>();
        builder.Services.AddSingleton<RightOfAccess.RightOfAccessDocuments>();
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RetentionSweeper>());
    }
}
