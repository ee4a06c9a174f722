// Loads the translator module (translator/translator.h) on first use.
#ifndef MIPSRUN_RUNTIME_TRANSLATOR_LOADER_H_
#define MIPSRUN_RUNTIME_TRANSLATOR_LOADER_H_

#include <memory>
#include <string>

#include "translator/translator.h"

namespace mipsrun {

// dlopens libmipsrun_translator.so from the directory of the running mipsrun and
// creates a translator; null with *error set when that is not possible.
std::unique_ptr<Translator> LoadTranslator(std::string* error);
// The same from a given path (tests).
std::unique_ptr<Translator> LoadTranslatorFrom(const std::string& path, std::string* error);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_TRANSLATOR_LOADER_H_
