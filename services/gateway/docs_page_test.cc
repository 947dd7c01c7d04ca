#include "services/gateway/docs_page.h"

#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/builtins.h"

namespace ttads::gateway {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string Body(absl::string_view path) {
  std::optional<DocsAsset> asset = FindDocsAsset(path);
  EXPECT_TRUE(asset.has_value()) << path;
  return asset ? std::string(asset->body) : "";
}

TEST(DocsPageTest, ThePageLoadsOnlyItsOwnAssets) {
  const std::string page = Body("/docs");
  EXPECT_EQ(Body("/docs/"), page);
  // Every script and stylesheet the page names is served here; nothing
  // comes from another origin (no CDN).
  std::regex ref(R"re((?:src|href)="([^"]*)")re");
  int refs = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), ref);
       it != std::sregex_iterator(); ++it, ++refs) {
    const std::string target = (*it)[1];
    EXPECT_TRUE(FindDocsAsset(target).has_value()) << target;
  }
  EXPECT_EQ(refs, 3);
  EXPECT_THAT(page, Not(HasSubstr("http")));
  const std::string init = Body("/docs/init.js");
  EXPECT_THAT(init, HasSubstr("url: '/openapi.json'"));
  EXPECT_THAT(init, HasSubstr("validatorUrl: null"));
  EXPECT_THAT(init, Not(HasSubstr("http")));
}

TEST(DocsPageTest, ServesTheVendoredSwaggerUi) {
  EXPECT_THAT(Body("/docs/swagger-ui-bundle.js"), HasSubstr("SwaggerUIBundle"));
  EXPECT_GT(Body("/docs/swagger-ui-bundle.js").size(), 1'000'000u);
  EXPECT_THAT(Body("/docs/swagger-ui.css"), HasSubstr(".swagger-ui"));
}

TEST(DocsPageTest, EveryAnswerCarriesTheSecurityHeaders) {
  for (const char* path :
       {"/docs", "/docs/init.js", "/docs/swagger-ui-bundle.js",
        "/docs/swagger-ui.css"}) {
    std::optional<DocsAsset> asset = FindDocsAsset(path);
    ASSERT_TRUE(asset.has_value()) << path;
    EXPECT_THAT(asset->headers, Contains(Pair("Content-Security-Policy",
                                              kDocsContentSecurityPolicy)));
    EXPECT_THAT(asset->headers,
                Contains(Pair("X-Content-Type-Options", "nosniff")));
  }
  EXPECT_THAT(std::string(kDocsContentSecurityPolicy),
              HasSubstr("default-src 'none'"));
  EXPECT_THAT(std::string(kDocsContentSecurityPolicy),
              HasSubstr("script-src 'self';"));
  EXPECT_EQ(FindDocsAsset("/docs")->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(FindDocsAsset("/docs/swagger-ui.css")->content_type,
            "text/css; charset=utf-8");
  EXPECT_THAT(FindDocsAsset("/docs")->headers,
              Contains(Pair("Cache-Control", "no-cache")));
}

TEST(DocsPageTest, OtherPathsAreNotThePage) {
  for (const char* path : {"/docsx", "/docs/index.html", "/docs/../metrics",
                           "/docs/swagger-ui-bundle.js.map", "/doc"}) {
    EXPECT_FALSE(FindDocsAsset(path).has_value()) << path;
  }
  EXPECT_TRUE(Builtins::Serves("GET", "/docs"));
  EXPECT_TRUE(Builtins::Serves("GET", "/docs/swagger-ui.css"));
  EXPECT_FALSE(Builtins::Serves("POST", "/docs"));
  EXPECT_FALSE(Builtins::Serves("GET", "/docs/nope.js"));
}

}  // namespace
}  // namespace ttads::gateway
