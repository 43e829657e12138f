package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import graphql.language.Description;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.TypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.carbonledger.store.ClasspathFiles;
import org.junit.jupiter.api.Test;

/**
 * SchemaDescriptionsTest reads the SDL as clients see it and lists every type, field, argument, input field
 * and enum value without a description: registry UIs are built from the schema alone.
 */
class SchemaDescriptionsTest {

  @Test
  void everythingInTheSchemaIsDescribed() throws Exception {
    TypeDefinitionRegistry types = new TypeDefinitionRegistry();
    for (Map.Entry<String, byte[]> file : ClasspathFiles.read("schema", ".graphqls").entrySet()) {
      types.merge(new SchemaParser().parse(new String(file.getValue(), StandardCharsets.UTF_8)));
    }
    List<String> missing = new ArrayList<>();
    for (TypeDefinition<?> type : types.types().values()) {
      check(missing, type.getName(), descriptionOf(type));
      if (type instanceof ObjectTypeDefinition object) {
        fields(missing, type.getName(), object.getFieldDefinitions());
      } else if (type instanceof InterfaceTypeDefinition object) {
        fields(missing, type.getName(), object.getFieldDefinitions());
      } else if (type instanceof InputObjectTypeDefinition input) {
        input.getInputValueDefinitions().forEach(field -> check(missing, type.getName() + "." + field.getName(), field.getDescription()));
      } else if (type instanceof EnumTypeDefinition enumType) {
        enumType.getEnumValueDefinitions().forEach(value -> check(missing, type.getName() + "." + value.getName(), value.getDescription()));
      }
    }
    for (List<ObjectTypeExtensionDefinition> extensions : types.objectTypeExtensions().values()) {
      extensions.forEach(extension -> fields(missing, extension.getName(), extension.getFieldDefinitions()));
    }
    types.scalars().values().stream().filter(scalar -> !List.of("Int", "Float", "String", "Boolean", "ID").contains(scalar.getName()))
        .forEach(scalar -> check(missing, scalar.getName(), scalar.getDescription()));
    assertEquals(List.of(), missing, "schema elements without a description");
  }

  private static void fields(List<String> missing, String type, List<FieldDefinition> fields) {
    for (FieldDefinition field : fields) {
      check(missing, type + "." + field.getName(), field.getDescription());
      for (InputValueDefinition argument : field.getInputValueDefinitions()) {
        check(missing, type + "." + field.getName() + "(" + argument.getName() + ")", argument.getDescription());
      }
    }
  }

  private static Description descriptionOf(TypeDefinition<?> type) {
    if (type instanceof graphql.language.AbstractDescribedNode<?> described) {
      return described.getDescription();
    }
    return null;
  }

  private static void check(List<String> missing, String name, Description description) {
    if (description == null || description.getContent().isBlank()) {
      missing.add(name);
    }
  }
}
