#include "runtime/translator_loader.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include <string>

namespace mipsrun {

std::unique_ptr<Translator> LoadTranslator(std::string* error) {
  char exe[PATH_MAX];
  if (!realpath("/proc/self/exe", exe)) {
    *error = "cannot find mipsrun's own directory";
    return nullptr;
  }
  std::string path(exe);
  path = path.substr(0, path.rfind('/') + 1) + kTranslatorModule;
  return LoadTranslatorFrom(path, error);
}

std::unique_ptr<Translator> LoadTranslatorFrom(const std::string& path, std::string* error) {
  void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!module) {
    *error = dlerror();
    return nullptr;
  }
  auto create = reinterpret_cast<CreateTranslatorFn>(dlsym(module, kCreateTranslatorSymbol));
  if (!create) {
    *error = path + ": no " + kCreateTranslatorSymbol;
    return nullptr;
  }
  // The module stays loaded for the life of the process: translated code lives in it.
  return std::unique_ptr<Translator>(create(error));
}

}  // namespace mipsrun
