#include "libs/tiktok/budget.h"

#include <utility>

namespace ttads::tiktok {
namespace {

thread_local const BudgetScope* current_scope = nullptr;

}  // namespace

BudgetScope::BudgetScope(BudgetTag tag)
    : tag_(std::move(tag)),
      usage_(std::make_shared<BudgetUsage>()),
      outer_(current_scope) {
  current_scope = this;
}

BudgetScope::~BudgetScope() { current_scope = outer_; }

const BudgetScope* BudgetScope::Current() { return current_scope; }

}  // namespace ttads::tiktok
